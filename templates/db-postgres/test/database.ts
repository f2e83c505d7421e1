import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server the tests run on: DATABASE_URL, else the one `docker compose up -d db` starts. */
export const serverUrl =
  process.env.DATABASE_URL || 'postgres://postgres:postgres@127.0.0.1:5432/app';

/** Runs one statement on the server's own database (DATABASE_URL's). */
export async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new, empty database on the test server; its name is random, its URL DATABASE_URL's. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `test_${randomBytes(8).toString('hex')}`;
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    // FORCE: connections the app left open do not block the drop.
    drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
