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

/** Drops a test database, even while connections the app left open use it (FORCE). */
export async function dropDatabase(name: string): Promise<void> {
  await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
