import { databaseServer } from './db.js';
import type { Feature } from './feature.js';

/** MySQL 8 or MariaDB through Drizzle ORM and mysql2: a sized pool with timeouts, read replicas. */
export const dbMysql: Feature = {
  id: 'db-mysql',
  dependencies: ['drizzle-orm', 'mysql2'],
  devDependencies: ['drizzle-kit'],
  scripts: {
    'db:generate': 'drizzle-kit generate',
    'db:migrate': 'node scripts/db-migrate.js',
  },
  env: [
    {
      name: 'DATABASE_URL',
      value: 'mysql://root:mysql@127.0.0.1:3306/app',
      comment: 'The MySQL or MariaDB primary; the tests create (and drop) databases of their own on its server',
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
    server: 'MySQL or MariaDB',
    defaultPort: 3306,
    core: 'drizzle-orm/mysql-core',
    table: 'mysqlTable',
    columns: ['char'],
    hexColumn: 'char',
  },
  snippets: [{ place: 'schemaColumnTypes', template: 'schema-column-types.ts.hbs' }],
  compose: {
    environment: { DATABASE_URL: 'mysql://root:mysql@db:3306/app' },
    services: {
      db: {
        comment: '`docker compose up -d db` is also what the tests run against (DATABASE_URL in .env.example).',
        neededByApp: true,
        image: 'mysql:8.4',
        environment: { MYSQL_ROOT_PASSWORD: 'mysql', MYSQL_DATABASE: 'app' },
        ports: ['127.0.0.1:3306:3306'],
        volumes: ['db:/var/lib/mysql'],
        healthcheck: {
          test: ['CMD', 'mysqladmin', 'ping', '-h', '127.0.0.1', '-uroot', '-pmysql'],
          interval: '5s',
          timeout: '3s',
          retries: 20,
        },
        restart: 'unless-stopped',
      },
    },
    volumes: ['db'],
  },
};
