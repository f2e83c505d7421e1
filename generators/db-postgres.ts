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
      secret: true,
    },
    {
      name: 'DATABASE_REPLICA_URLS',
      value: '',
      comment: 'Comma list of read replicas; reads go to one of them, writes to DATABASE_URL',
      secret: true,
    },
    { name: 'DATABASE_POOL_MAX', value: '10', comment: 'Connections per pool (the primary and each replica)' },
  ],
  firstRun: ['db:migrate'],
  uses: [databaseServer],
  dialect: {
    server: 'PostgreSQL',
    defaultPort: 5432,
    core: 'drizzle-orm/pg-core',
    table: 'pgTable',
    columns: ['uuid'],
    hexColumn: 'varchar',
  },
  snippets: [{ place: 'schemaColumnTypes', template: 'schema-column-types.ts.hbs' }],
  compose: {
    environment: { DATABASE_URL: 'postgres://postgres:postgres@db:5432/app' },
    services: {
      db: {
        comment: '`docker compose up -d db` is also what the tests run against (DATABASE_URL in .env.example).',
        neededByApp: true,
        image: 'postgres:17',
        environment: { POSTGRES_PASSWORD: 'postgres', POSTGRES_DB: 'app' },
        ports: ['127.0.0.1:5432:5432'],
        volumes: ['db:/var/lib/postgresql/data'],
        healthcheck: {
          test: ['CMD-SHELL', 'pg_isready -U postgres -d app'],
          interval: '5s',
          timeout: '3s',
          retries: 10,
        },
        restart: 'unless-stopped',
      },
    },
    volumes: ['db'],
  },
};
