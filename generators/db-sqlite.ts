import { database } from './db.js';
import type { Feature } from './feature.js';

/** SQLite through Drizzle ORM and better-sqlite3: schema as code, versioned migrations. */
export const dbSqlite: Feature = {
  id: 'db-sqlite',
  dependencies: ['better-sqlite3', 'drizzle-orm'],
  devDependencies: ['@types/better-sqlite3', 'drizzle-kit'],
  scripts: {
    'db:generate': 'drizzle-kit generate',
    'db:migrate': 'node scripts/db-migrate.js',
  },
  env: [
    {
      name: 'DATABASE_URL',
      value: 'file:./data/app.db',
      comment: 'SQLite file (file:./path) or file::memory:',
      order: -1,
      schema: {
        type: 'string',
        pattern: '^file:.+$',
        default: 'file:./data/app.db',
        description: 'a SQLite URL like file:./data/app.db',
        adds: {
          name: 'DATABASE_PATH',
          type: 'string',
          doc: 'Filesystem path of the SQLite database, from DATABASE_URL.',
          value: "parsed.DATABASE_URL.slice('file:'.length)",
          expected: "'./data/app.db'",
        },
        rejects: './data/app.db',
      },
      readme: { meaning: 'SQLite file as `file:PATH` (its folder is created)', default: '`file:./data/app.db`' },
    },
  ],
  configCode: {
    imports: [
      { from: 'node:fs', names: ['mkdirSync'] },
      { from: 'node:path', names: ['dirname'] },
    ],
    // The folder of the database file, which better-sqlite3 does not create.
    onRead: `if (config.DATABASE_PATH !== ':memory:') {
  mkdirSync(dirname(config.DATABASE_PATH), { recursive: true });
}`,
  },
  firstRun: ['db:migrate'],
  uses: [database],
  buildsNative: ['better-sqlite3'],
  compose: {
    environment: { DATABASE_URL: 'file:/app/data/app.db' },
    appVolumes: ['data:/app/data'],
    volumes: ['data'],
  },
};
