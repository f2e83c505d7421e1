import { onServer, serverUrl } from './database.js';

/** Fails the run with one clear line when the database server does not answer. */
export default async function checkDatabaseServer(): Promise<void> {
  try {
    await onServer('select 1');
  } catch (error) {
    const url = new URL(serverUrl);
    throw new Error(
      `The tests need PostgreSQL at ${url.host} (DATABASE_URL): ${(error as Error).message}. ` +
        'Start one (`docker compose up -d db` where the project has compose), or set DATABASE_URL.',
    );
  }
}
