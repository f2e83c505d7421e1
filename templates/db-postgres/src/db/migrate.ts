import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { DatabaseHandle } from './client.js';

// src/db and dist/db are both two levels below the project root, where drizzle/ lives.
const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Applies the pending migrations to the primary, each in a transaction. */
export async function runMigrations(handle: DatabaseHandle): Promise<void> {
  await migrate(handle.db.$primary, { migrationsFolder });
}
