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
  env: [{ name: 'DATABASE_URL', value: 'file:./data/app.db', comment: 'SQLite file (file:./path) or file::memory:' }],
  firstRun: ['db:migrate'],
  uses: [database],
  buildsNative: ['better-sqlite3'],
  compose: {
    environment: { DATABASE_URL: 'file:/app/data/app.db' },
    appVolumes: ['data:/app/data'],
    volumes: ['data'],
  },
  readme: [
    { place: 'readmeStack', order: 10, text: 'SQLite' },
    {
      place: 'readmeRunDatabase',
      order: 20,
      text: (data) => `${data.pm.run} db:migrate        # applies drizzle/*.sql to ./data/app.db`,
    },
    { place: 'readmeReplicas', order: 10, template: 'readme-replicas.md.hbs' },
    { place: 'readmeDesign', order: 10, template: 'readme-design.md.hbs' },
  ],
  tests: [
    { place: 'shutdownImportsBeforeHttp', text: "import { mkdtempSync } from 'node:fs';" },
    { place: 'shutdownImportsAfterHttp', text: "import { tmpdir } from 'node:os';\nimport { join } from 'node:path';" },
    { place: 'shutdownServerSetup', text: "  const dataDir = mkdtempSync(join(tmpdir(), 'shutdown-'));" },
    { place: 'shutdownServerEnv', template: 'test-shutdown-env.ts.hbs' },
  ],
};
