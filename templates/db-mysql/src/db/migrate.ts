import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/mysql2/migrator';
import type { DatabaseHandle } from './client.js';

// src/db and dist/db are both two levels below the project root, where drizzle/ lives.
const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Applies the pending migrations to the primary (MySQL commits each DDL statement at once). */
export async function runMigrations(handle: DatabaseHandle): Promise<void> {
  await migrate(handle.db.$primary, { migrationsFolder });
}
