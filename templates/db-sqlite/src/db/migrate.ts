import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { DatabaseHandle } from './client.js';

// src/db and dist/db are both two levels below the project root, where drizzle/ lives.
const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

export function runMigrations(handle: DatabaseHandle): void {
  migrate(handle.db, { migrationsFolder });
}
