import { readConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { runMigrations } from './db/migrate.js';

const config = readConfig();
const database = openDatabase({
  url: config.DATABASE_URL,
  replicaUrls: [],
  poolMax: 1,
  onIdleError: () => {},
});
try {
  await runMigrations(database);
  process.stdout.write('migrations applied\n');
} finally {
  await database.close();
}
