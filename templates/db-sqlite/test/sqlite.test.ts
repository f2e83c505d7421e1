import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp } from './helpers.js';

// A database file: an in-memory database has no write-ahead log.
const dir = mkdtempSync(join(tmpdir(), 'database-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The journal mode and synchronous level of the connection the app opens with this environment. */
async function pragmasWith(name: string, env: Record<string, string>) {
  const app = await buildTestApp({
    env: { DATABASE_URL: `file:${join(dir, `${name}.db`)}`, ...env },
  });
  try {
    const { db } = app.database;
    return {
      journalMode: db.get<{ journal_mode: string }>(sql`pragma journal_mode`).journal_mode,
      synchronous: db.get<{ synchronous: number }>(sql`pragma synchronous`).synchronous,
    };
  } finally {
    await app.close();
  }
}

// PRAGMA synchronous reads back 1 for NORMAL, 2 for FULL.
describe('the SQLite connection', () => {
  it('writes ahead and syncs at checkpoints only by default (WAL, synchronous=NORMAL)', async () => {
    expect(await pragmasWith('default', {})).toEqual({ journalMode: 'wal', synchronous: 1 });
  });

  it('syncs every commit with SQLITE_SYNCHRONOUS=full', async () => {
    const pragmas = await pragmasWith('full', { SQLITE_SYNCHRONOUS: 'full' });
    expect(pragmas).toEqual({ journalMode: 'wal', synchronous: 2 });
  });
});
