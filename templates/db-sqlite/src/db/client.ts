import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema>;

export interface DatabaseHandle {
  db: Db;
  /** Cheap round trip used by the readiness probe; throws when the database is unusable. */
  ping(): void;
  close(): void;
}

/**
 * One synchronous connection serves the whole process: better-sqlite3 has no pool,
 * and SQLite allows a single writer anyway, so there is no pool to size.
 */
export function openDatabase(path: string): DatabaseHandle {
  const sqlite = new Database(path, { timeout: 5000 });
  // WAL lets readers proceed while a write is in progress.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  return {
    db: drizzle(sqlite, { schema }),
    ping: () => {
      sqlite.prepare('select 1').get();
    },
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}
