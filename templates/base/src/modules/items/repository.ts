import { randomUUID } from 'node:crypto';
import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { items } from '../../db/schema.js';
import { badRequest, conflict } from '../../errors.js';
import type { CreateItemInput, ItemDto, UpdateItemInput } from './schemas.js';

interface Cursor {
  createdAt: string;
  id: string;
}

// Opaque to clients so the sort key can change without breaking their links.
const encodeCursor = (cursor: Cursor) =>
  Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');

function decodeCursor(value: string): Cursor {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (typeof createdAt === 'string' && typeof id === 'string') return { createdAt, id };
  } catch {
    // Falls through to the same answer as a well-formed but meaningless cursor.
  }
  throw badRequest('cursor is not a value returned by this API');
}

function isUniqueViolation(error: unknown): boolean {
  // Drizzle wraps driver errors in DrizzleQueryError; the SQLite code sits on the cause.
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') return true;
  }
  return false;
}

function withUniqueName<T>(name: string | undefined, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`An item named ${JSON.stringify(name)} exists`);
    throw error;
  }
}

export function createItemRepository(db: Db) {
  return {
    list(limit: number, cursor?: string): { items: ItemDto[]; nextCursor: string | null } {
      const after = cursor ? decodeCursor(cursor) : undefined;
      const rows = db
        .select()
        .from(items)
        .where(
          after &&
            or(
              lt(items.createdAt, after.createdAt),
              and(eq(items.createdAt, after.createdAt), lt(items.id, after.id)),
            ),
        )
        .orderBy(desc(items.createdAt), desc(items.id))
        // One extra row tells whether another page exists without a count query.
        .limit(limit + 1)
        .all();
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { items: page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
    },

    get(id: string): ItemDto | undefined {
      return db.select().from(items).where(eq(items.id, id)).get();
    },

    create(input: CreateItemInput): ItemDto {
      const now = new Date().toISOString();
      const row = {
        id: randomUUID(),
        name: input.name,
        description: input.description ?? null,
        createdAt: now,
        updatedAt: now,
      };
      return withUniqueName(input.name, () => db.insert(items).values(row).returning().get());
    },

    update(id: string, input: UpdateItemInput): ItemDto | undefined {
      const changes = { ...input, updatedAt: new Date().toISOString() };
      return withUniqueName(input.name, () =>
        db.update(items).set(changes).where(eq(items.id, id)).returning().get(),
      );
    },

    remove(id: string): boolean {
      return db.delete(items).where(eq(items.id, id)).run().changes > 0;
    },
  };
}

export type ItemRepository = ReturnType<typeof createItemRepository>;
