import type { CiPart } from './ci.js';
import { column, serverColumns } from './columns.js';
import type { ComposePart } from './compose.js';
import { commaList } from './config.js';
import { databaseServer, poolMax } from './db.js';
import { defaultSql, type EnvVariable, type Feature, type MigrationSql } from './feature.js';

const q = (name: string) => `\`${name}\``;
const list = (names: readonly string[]) => names.map(q).join(',');

/** drizzle-kit's MySQL statements. */
const migrationSql: MigrationSql = {
  quote: q,
  addColumn: (table, c) =>
    `ALTER TABLE ${q(table)} ADD ${q(c.name)} ${c.type}${c.primaryKey ? ' PRIMARY KEY' : ''}${c.autoincrement ? ' AUTO_INCREMENT' : ''}${defaultSql(c)}${c.notNull ? ' NOT NULL' : ''};`,
  dropColumn: (table, column) => `ALTER TABLE ${q(table)} DROP COLUMN ${q(column)};`,
  dropIndex: (table, index) => `DROP INDEX ${q(index)} ON ${q(table)};`,
  dropTable: (table) => `DROP TABLE ${q(table)};`,
  constraints: {
    addUnique: (table, name, columns) => `ALTER TABLE ${q(table)} ADD CONSTRAINT ${q(name)} UNIQUE(${list(columns)});`,
    dropUnique: (table, name) => `ALTER TABLE ${q(table)} DROP INDEX ${q(name)};`,
    dropForeignKey: (table, name) => `ALTER TABLE ${q(table)} DROP FOREIGN KEY ${q(name)};`,
  },
};

/** MySQL 8 or MariaDB through Drizzle ORM and mysql2: a sized pool with timeouts, read replicas. */
/** MySQL's columns of a resource's fields: exact decimals, dates read as strings, JSON. */
const schemaColumns = serverColumns('mysqlTable', 'drizzle-orm/mysql-core', (field, name) => {
  switch (field.type) {
    case 'integer':
      return column('int', name);
    // TEXT holds 65,535 bytes: 16,383 characters of four bytes.
    case 'text':
      return (field.length ?? 0) > 16_383 ? column('mediumtext', name) : column('text', name);
    case 'decimal':
      return column('decimal', name, `{ precision: ${field.precision}, scale: ${field.scale} }`);
    case 'date':
      return column('date', name, "{ mode: 'string' }");
    case 'json':
      return { code: `json('${name}').$type<Record<string, unknown>>()`, imports: ['json'] };
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
      pattern: '^(mysql://[^,\\s]+(,mysql://[^,\\s]+)*)?$',
      default: '',
      description: 'a comma list of MySQL URLs',
      derived: commaList('DATABASE_REPLICA_URLS'),
      example: {
        value: 'mysql://reader@replica-1/app,mysql://reader@replica-2/app',
        loaded: ['mysql://reader@replica-1/app', 'mysql://reader@replica-2/app'],
      },
      rejects: 'replica-1:3306',
    },
    readme: {
      meaning: 'comma list of read replicas: reads go to one at random, writes to the primary',
      default: 'none',
    },
  },
  poolMax,
];

/** The database `database` on this machine's server, where `dev` and the tests reach it. */
const localUrl = (database: string) => `mysql://root:mysql@127.0.0.1:3306/${database}`;

/** DATABASE_URL, the database `database` by default. */
const databaseUrl = (database: string): EnvVariable => ({
  name: 'DATABASE_URL',
  value: localUrl(database),
  comment: 'The MySQL or MariaDB primary; the tests create (and drop) databases of their own on its server',
  secret: true,
  order: -1,
  schema: {
    type: 'string',
    pattern: '^mysql://.+$',
    default: localUrl(database),
    description: 'a MySQL URL like mysql://user:password@host:3306/database',
    rejects: '127.0.0.1:3306/app',
  },
  readme: {
    meaning: 'the MySQL or MariaDB primary, `mysql://user:password@host:3306/database`',
    default: `\`${localUrl(database)}\``,
  },
});

/** The server in compose, named `host`, which creates the database `database` on its first start. */
const composeOf = (database: string, host: string): ComposePart => ({
  environment: { DATABASE_URL: `mysql://root:mysql@${host}:3306/${database}` },
  services: {
    [host]: {
      comment: '`docker compose up -d db` is also what the tests run against (DATABASE_URL in .env.example).',
      neededByApp: true,
      image: 'mysql:8.4',
      environment: { MYSQL_ROOT_PASSWORD: 'mysql', MYSQL_DATABASE: database },
      ports: ['127.0.0.1:3306:3306'],
      volumes: [`${host}:/var/lib/mysql`],
      healthcheck: {
        test: ['CMD', 'mysqladmin', 'ping', '-h', '127.0.0.1', '-uroot', '-pmysql'],
        interval: '5s',
        timeout: '3s',
        retries: 20,
      },
      restart: 'unless-stopped',
    },
  },
  volumes: [host],
});

/** The server the CI job's tests run against. */
const ciOf = (database: string): CiPart => ({
  services: {
    mysql: {
      image: 'mysql:8.4',
      env: { MYSQL_ROOT_PASSWORD: 'mysql', MYSQL_DATABASE: database },
      ports: ['3306:3306'],
      healthcheck: {
        command: 'mysqladmin ping -h 127.0.0.1 -uroot -pmysql',
        interval: '5s',
        timeout: '3s',
        retries: 20,
      },
    },
  },
  env: { DATABASE_URL: localUrl(database) },
});

export const dbMysql: Feature = {
  id: 'db-mysql',
  migrationSql,
  // A dump of the rows alone, columns named: the two tables need not list them in one order.
  moveRows: (table) => [
    "# MySQL or MariaDB: add each server's connection options (-h, -P, -u, -p) from its DATABASE_URL",
    `mysqldump --no-create-info --complete-insert --single-transaction "$MONOLITH_DATABASE" ${table} \\`,
    '  | mysql "$SERVICE_DATABASE"',
  ],
  schemaColumns,
  dependencies: ['drizzle-orm', 'mysql2'],
  devDependencies: ['drizzle-kit'],
  scripts: {
    'db:generate': 'drizzle-kit generate',
    'db:migrate': 'node scripts/db-migrate.js',
  },
  env: [databaseUrl('app'), ...settings],
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
  compose: composeOf('app', 'db'),
  ci: ciOf('app'),
  createDatabase: (database) => `mysql -h 127.0.0.1 -uroot -pmysql -e 'CREATE DATABASE ${database}'`,
  ownDatabase: (database, host) => ({
    ...dbMysql,
    env: [databaseUrl(database), ...settings],
    compose: composeOf(database, host),
    ci: ciOf(database),
  }),
  snippets: [
    { place: 'schemaColumnTypes', template: 'schema-column-types.ts.hbs' },
    { place: 'benchAnalyze', text: 'await db.execute(sql`analyze table items`);' },
  ],
  readme: [
    { place: 'readmeStack', order: 10, text: 'MySQL 8 or MariaDB' },
    {
      place: 'readmeRunDatabase',
      order: 10,
      when: (data) => data.has.deployDocker === true,
      text: 'docker compose up -d db   # MySQL on 127.0.0.1, as DATABASE_URL expects',
    },
    { place: 'readmeDesign', order: 20, template: 'readme-design.md.hbs' },
  ],
};
