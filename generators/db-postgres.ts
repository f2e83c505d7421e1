import type { CiPart } from './ci.js';
import { column, serverColumns } from './columns.js';
import type { ComposePart } from './compose.js';
import { commaList } from './config.js';
import { databaseServer, poolMax } from './db.js';
import { defaultSql, type EnvVariable, type Feature, type MigrationSql } from './feature.js';

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

/** The settings of the pools beside DATABASE_URL. */
const settings: EnvVariable[] = [
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
  poolMax,
];

/** The database `database` on this machine's server, where `dev` and the tests reach it. */
const localUrl = (database: string) => `postgres://postgres:postgres@127.0.0.1:5432/${database}`;

/** DATABASE_URL, the database `database` by default. */
const databaseUrl = (database: string): EnvVariable => ({
  name: 'DATABASE_URL',
  value: localUrl(database),
  comment: 'The PostgreSQL primary; the tests create (and drop) databases of their own on its server',
  secret: true,
  order: -1,
  schema: {
    type: 'string',
    pattern: '^postgres(ql)?://.+$',
    default: localUrl(database),
    description: 'a PostgreSQL URL like postgres://user:password@host:5432/database',
    rejects: '127.0.0.1:5432/app',
  },
  readme: {
    meaning: 'the PostgreSQL primary, `postgres://user:password@host:5432/database`',
    default: `\`${localUrl(database)}\``,
  },
});

/** The server in compose, named `host`, which creates the database `database` on its first start. */
const composeOf = (database: string, host: string): ComposePart => ({
  environment: { DATABASE_URL: `postgres://postgres:postgres@${host}:5432/${database}` },
  services: {
    [host]: {
      comment: '`docker compose up -d db` is also what the tests run against (DATABASE_URL in .env.example).',
      neededByApp: true,
      image: 'postgres:17',
      environment: { POSTGRES_PASSWORD: 'postgres', POSTGRES_DB: database },
      ports: ['127.0.0.1:5432:5432'],
      volumes: [`${host}:/var/lib/postgresql/data`],
      healthcheck: {
        test: ['CMD-SHELL', `pg_isready -U postgres -d ${database}`],
        interval: '5s',
        timeout: '3s',
        retries: 10,
      },
      restart: 'unless-stopped',
    },
  },
  volumes: [host],
});

/** The server the CI job's tests run against. */
const ciOf = (database: string): CiPart => ({
  services: {
    postgres: {
      image: 'postgres:17',
      env: { POSTGRES_PASSWORD: 'postgres', POSTGRES_DB: database },
      ports: ['5432:5432'],
      healthcheck: { command: 'pg_isready -U postgres', interval: '5s', timeout: '3s', retries: 10 },
    },
  },
  env: { DATABASE_URL: localUrl(database) },
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
  env: [databaseUrl('app'), ...settings],
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
  compose: composeOf('app', 'db'),
  ci: ciOf('app'),
  createDatabase: (database) =>
    `psql postgres://postgres:postgres@127.0.0.1:5432/postgres -c 'CREATE DATABASE ${database}'`,
  ownDatabase: (database, host) => ({
    ...dbPostgres,
    env: [databaseUrl(database), ...settings],
    compose: composeOf(database, host),
    ci: ciOf(database),
  }),
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
