import mysql from 'mysql2/promise';

/** The server the tests run on: DATABASE_URL, else the one `docker compose up -d db` starts. */
export const serverUrl = process.env.DATABASE_URL || 'mysql://root:mysql@127.0.0.1:3306/app';

/** Runs one statement on the server. */
export async function onServer(sql: string): Promise<void> {
  const connection = await mysql.createConnection({ uri: serverUrl, connectTimeout: 5_000 });
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}

/** Drops a test database. */
export async function dropDatabase(name: string): Promise<void> {
  await onServer(`DROP DATABASE IF EXISTS ${name}`);
}
