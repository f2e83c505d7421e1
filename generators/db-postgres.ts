import { databaseServer } from './db.js';
import type { Feature } from './feature.js';

/** PostgreSQL through Drizzle ORM and node-postgres: a sized pool with timeouts, read replicas. */
export const dbPostgres: Feature = {
  id: 'db-postgres',
  dependencies: ['drizzle-orm', 'pg'],
  devDependencies: ['@types/pg', 'drizzle-kit'],
  scripts: {
    'db:generate': 'drizzle-kit generate',
    'db:migrate': 'node scripts/db-migrate.js',
  },
  env: [
    {
      name: 'DATABASE_URL',
      value: 'postgres://postgres:postgres@127.0.0.1:5432/app',
      comment: 'The PostgreSQL primary; the tests create (and drop) databases of their own on its server',
    },
    {
      name: 'DATABASE_REPLICA_URLS',
      value: '',
      comment: 'Comma list of read replicas; reads go to one of them, writes to DATABASE_URL',
    },
    { name: 'DATABASE_POOL_MAX', value: '10', comment: 'Connections per pool (the primary and each replica)' },
  ],
  firstRun: ['db:migrate'],
  uses: [databaseServer],
};
