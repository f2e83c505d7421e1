import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { DatabaseHandle } from './client.js';
import { migrationsAfter, migrationsFolder } from './journal.js';

export function runMigrations(handle: DatabaseHandle): void {
  migrate(handle.db, { migrationsFolder });
}

/** The migrations the database lacks, oldest first; drizzle records those it applied in its own table. */
export function pendingMigrations(handle: DatabaseHandle): string[] {
  const table = handle.db.get<{ name: string } | undefined>(
    sql`select name from sqlite_master where type = 'table' and name = '__drizzle_migrations'`,
  );
  if (table === undefined) return migrationsAfter(undefined);
  const last = handle.db.get<{ created_at: number | null }>(
    sql`select max(created_at) as created_at from __drizzle_migrations`,
  );
  return migrationsAfter(last.created_at ?? undefined);
}
