import { column, serverColumns } from './columns.js';
import { commaList } from './config.js';
import { databaseServer } from './db.js';
import { defaultSql, type Feature, type MigrationSql } from './feature.js';

const q = (name: string) => `"${name}"`;
const list = (names: readonly string[]) => names.map(q).join(',');

/** drizzle-kit's PostgreSQL statements. */
const migrationSql: MigrationSql = {
  quote: q,
  addColumn: (table, c) =>
    `ALTER TABLE ${q(table)} ADD COLUMN ${q(c.name)} ${c.type}${c.primaryKey ? ' PRIMARY KEY' : ''}${defaultSql(c)}${c.notNull ? ' NOT NULL' : ''};`,
  dropColumn: (table, column) => `ALTER TABLE ${q(table)} DROP COLUMN ${q(column)};`,
  dropIndex: (_, index) => `DROP INDEX ${q(index)};`,
  dropTable: (table) => `DROP TABLE ${q(table)} CASCADE;`,
  constraints: {
    addUnique: (table, name, columns) => `ALTER TABLE ${q(table)} ADD CONSTRAINT ${q(name)} UNIQUE(${list(columns)});`,
    dropUnique: (table, name) => `ALTER TABLE ${q(table)} DROP CONSTRAINT ${q(name)};`,
    dropForeignKey: (table, name) => `ALTER TABLE ${q(table)} DROP CONSTRAINT ${q(name)};`,
  },
};

/** PostgreSQL through Drizzle ORM and node-postgres: a sized pool with timeouts, read replicas. */
/** PostgreSQL's columns of a resource's fields: exact numerics, native dates and JSONB. */
const schemaColumns = serverColumns('pgTable', 'drizzle-orm/pg-core', (field, name) => {
  switch (field.type) {
    case 'integer':
      return column('integer', name);
    case 'decimal':
      return column('numeric', name, `{ precision: ${field.precision}, scale: ${field.scale} }`);
    // Read as 'YYYY-MM-DD', the string the API shows.
    case 'date':
      return column('date', name);
    case 'json':
      return { code: `jsonb('${name}').$type<Record<string, unknown>>()`, imports: ['jsonb'] };
    default:
      return undefined;
  }
});

export const dbPostgres: Feature = {
  id: 'db-postgres',
  migrationSql,
  // A dump of the rows alone, columns named: the two tables need not list them in one order.
  moveRows: (table) => [
    '# PostgreSQL: MONOLITH_DATABASE_URL and SERVICE_DATABASE_URL are the two DATABASE_URL values',
    `pg_dump --data-only --column-inserts --table=${table} "$MONOLITH_DATABASE_URL" \\`,
    '  | psql --single-transaction --set ON_ERROR_STOP=1 "$SERVICE_DATABASE_URL"',
  ],
  schemaColumns,
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
      order: -1,
      schema: {
        type: 'string',
        pattern: '^postgres(ql)?://.+$',
        default: 'postgres://postgres:postgres@127.0.0.1:5432/app',
        description: 'a PostgreSQL URL like postgres://user:password@host:5432/database',
        rejects: '127.0.0.1:5432/app',
      },
      readme: {
        meaning: 'the PostgreSQL primary, `postgres://user:password@host:5432/database`',
        default: '`postgres://postgres:postgres@127.0.0.1:5432/app`',
      },
    },
    {
      name: 'DATABASE_REPLICA_URLS',
      value: '',
      comment: 'Comma list of read replicas; reads go to one of them, writes to DATABASE_URL',
      secret: true,
      order: -1,
      schema: {
        type: 'string',
        pattern: '^(postgres(ql)?://[^,\\s]+(,postgres(ql)?://[^,\\s]+)*)?$',
        default: '',
        description: 'a comma list of PostgreSQL URLs',
        derived: commaList('DATABASE_REPLICA_URLS'),
        example: {
          value: 'postgres://reader@replica-1/app,postgres://reader@replica-2/app',
          loaded: ['postgres://reader@replica-1/app', 'postgres://reader@replica-2/app'],
        },
        rejects: 'replica-1:5432',
      },
      readme: {
        meaning: 'comma list of read replicas: reads go to one at random, writes to the primary',
        default: 'none',
      },
    },
    {
      name: 'DATABASE_POOL_MAX',
      value: '10',
      comment: 'Connections per pool (the primary and each replica)',
      order: -1,
      schema: { type: 'integer', minimum: 1, default: 10, description: 'an integer >= 1', rejects: '0' },
      readme: { meaning: 'connections per pool (the primary and each replica)', default: '`10`' },
    },
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
  ci: {
    services: {
      postgres: {
        image: 'postgres:17',
        env: { POSTGRES_PASSWORD: 'postgres', POSTGRES_DB: 'app' },
        ports: ['5432:5432'],
        healthcheck: { command: 'pg_isready -U postgres', interval: '5s', timeout: '3s', retries: 10 },
      },
    },
    env: { DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:5432/app' },
  },
  snippets: [
    { place: 'schemaColumnTypes', template: 'schema-column-types.ts.hbs' },
    { place: 'benchAnalyze', text: 'await db.execute(sql`analyze items`);' },
  ],
  readme: [
    { place: 'readmeStack', order: 10, text: 'PostgreSQL' },
    {
      place: 'readmeRunDatabase',
      order: 10,
      when: (data) => data.has.deployDocker === true,
      text: 'docker compose up -d db   # PostgreSQL on 127.0.0.1, as DATABASE_URL expects',
    },
    { place: 'readmeBadRequest', text: ', a NUL character (PostgreSQL text cannot hold one)' },
  ],
};
