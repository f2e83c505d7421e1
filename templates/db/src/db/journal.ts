import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// src/db and dist/db are both two levels below the project root, where drizzle/ lives.
export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

interface Journal {
  entries: { tag: string; when: number }[];
}

/**
 * The migrations `npm run db:migrate` would apply to a database whose newest applied migration
 * was made at `lastApplied` (undefined: none applied). Drizzle's migrator decides by that time
 * alone, not by the files' hashes, so this is exactly what it does next.
 */
export function migrationsAfter(lastApplied: number | undefined): string[] {
  const journal: Journal = JSON.parse(
    readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8'),
  );
  return journal.entries
    .filter((entry) => lastApplied === undefined || entry.when > lastApplied)
    .map((entry) => entry.tag);
}
