import { readConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { runMigrations } from './db/migrate.js';

const config = readConfig();
const database = openDatabase(config.DATABASE_PATH, config.SQLITE_SYNCHRONOUS);
try {
  runMigrations(database);
  process.stdout.write(`migrations applied to ${config.DATABASE_URL}\n`);
} finally {
  database.close();
}
