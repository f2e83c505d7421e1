import { type SQL, sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/mysql2/migrator';
import type { DatabaseHandle } from './handle.js';
import { migrationsAfter, migrationsFolder } from './journal.js';

/** Applies the pending migrations to the primary (MySQL commits each DDL statement at once). */
export async function runMigrations(handle: DatabaseHandle): Promise<void> {
  await migrate(handle.db.$primary, { migrationsFolder });
}

/** The migrations the primary lacks, oldest first; drizzle records those it applied in its own table. */
export async function pendingMigrations(handle: DatabaseHandle): Promise<string[]> {
  // Drizzle types mysql2's execute() as a write's result; a select gives [rows, fields].
  const select = async <Row>(query: SQL) =>
    ((await handle.db.$primary.execute(query)) as unknown as [Row[]])[0];
  const tables = await select(
    sql`select 1 from information_schema.tables where table_schema = database() and table_name = '__drizzle_migrations'`,
  );
  if (tables.length === 0) return migrationsAfter(undefined);
  const [last] = await select<{ created_at: string | number | null }>(
    sql`select max(created_at) as created_at from __drizzle_migrations`,
  );
  return migrationsAfter(last?.created_at == null ? undefined : Number(last.created_at));
}
