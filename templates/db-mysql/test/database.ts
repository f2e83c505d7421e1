import { randomBytes } from 'node:crypto';
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
  return { url: url.href, drop: () => onServer(`DROP DATABASE IF EXISTS ${name}`) };
}
