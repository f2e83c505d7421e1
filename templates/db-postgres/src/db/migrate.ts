import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { DatabaseHandle } from './handle.js';
import { migrationsAfter, migrationsFolder } from './journal.js';

/** Applies the pending migrations to the primary, each in a transaction. */
export async function runMigrations(handle: DatabaseHandle): Promise<void> {
  await migrate(handle.db.$primary, { migrationsFolder });
}

/** The migrations the primary lacks, oldest first; drizzle records those it applied in its own table. */
export async function pendingMigrations(handle: DatabaseHandle): Promise<string[]> {
  const db = handle.db.$primary;
  const table = await db.execute<{ name: string | null }>(
    sql`select to_regclass('drizzle.__drizzle_migrations') as name`,
  );
  if (table.rows[0]?.name == null) return migrationsAfter(undefined);
  // bigint: node-postgres returns it as a string.
  const last = await db.execute<{ created_at: string | null }>(
    sql`select max(created_at) as created_at from drizzle.__drizzle_migrations`,
  );
  const createdAt = last.rows[0]?.created_at;
  return migrationsAfter(createdAt == null ? undefined : Number(createdAt));
}
