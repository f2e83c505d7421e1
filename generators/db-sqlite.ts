import { column } from './columns.js';
import { database, importLine } from './db.js';
import {
  type ColumnCode,
  defaultSql,
  type Feature,
  importsAt,
  type MigrationSql,
  type SchemaColumns,
} from './feature.js';

const q = (name: string) => `\`${name}\``;

/** A point in time as ISO 8601 UTC text, which sorts as time: any offset the API accepts is converted. */
const timestampHelper = {
  name: 'timestamp',
  code: `// ISO 8601 in UTC, as toISOString() writes it, so that values sort and compare as time.
const timestamp = customType<{ data: string; driverData: string }>({
  dataType: () => 'text',
  toDriver: (value) => new Date(value).toISOString(),
});`,
};

/**
 * An exact decimal as an integer count of its smallest unit (12.50 with scale 2 is 1250): SQLite
 * has no decimal type, and its REAL is a float. Exact up to 15 digits, which the schema checks.
 */
const decimalHelper = {
  name: 'decimal',
  code: `/**
 * An exact decimal, stored as an integer count of its smallest unit (12.50 with scale 2 is 1250)
 * so that it sorts and sums as a number, never a float; read back as the string the API shows.
 */
const decimal = (name: string, scale: number) =>
  customType<{ data: string; driverData: number }>({
    dataType: () => 'integer',
    toDriver: (value) => {
      const [whole = '', fraction = ''] = value.replace('-', '').split('.');
      const units = Number(\`\${whole}\${fraction.padEnd(scale, '0')}\`);
      return value.startsWith('-') ? -units : units;
    },
    fromDriver: (units) => {
      const digits = String(Math.abs(units)).padStart(scale + 1, '0');
      const whole = digits.slice(0, digits.length - scale);
      const sign = units < 0 ? '-' : '';
      return scale === 0 ? \`\${sign}\${whole}\` : \`\${sign}\${whole}.\${digits.slice(-scale)}\`;
    },
  })(name);`,
};

/** The most digits an integer count of units holds exactly in a JavaScript number. */
const exactDigits = 15;

/** SQLite's columns of a resource's fields: text for strings, dates and ids; integers for the rest. */
const schemaColumns: SchemaColumns = {
  table: 'sqliteTable',
  core: 'drizzle-orm/sqlite-core',
  uuid: (name) => column('text', name),
  principal: (name) => column('text', name),
  timestamp: (name) => column('text', name),
  field: (field, name): ColumnCode => {
    switch (field.type) {
      case 'integer':
      case 'bigint':
        return column('integer', name);
      case 'boolean':
        return column('integer', name, "{ mode: 'boolean' }");
      case 'decimal':
        return {
          code: `decimal('${name}', ${field.scale})`,
          imports: ['customType'],
          helper: decimalHelper,
          defaultless: true,
        };
      case 'datetime':
        return { code: `timestamp('${name}')`, imports: ['customType'], helper: timestampHelper };
      case 'json':
        return { code: `text('${name}', { mode: 'json' }).$type<Record<string, unknown>>()`, imports: ['text'] };
      default:
        return column('text', name);
    }
  },
  refuse: (field) =>
    field.type === 'decimal' && (field.precision ?? 0) > exactDigits
      ? `SQLite stores a decimal as an integer count of its smallest unit, exact up to ${exactDigits} digits`
      : undefined,
};

/** drizzle-kit's SQLite statements: constraints change only by rebuilding the table. */
const migrationSql: MigrationSql = {
  quote: q,
  addColumn: (table, c) =>
    `ALTER TABLE ${q(table)} ADD ${q(c.name)} ${c.type}${c.primaryKey ? ' PRIMARY KEY' : ''}${c.autoincrement ? ' AUTOINCREMENT' : ''}${defaultSql(c)}${c.notNull ? ' NOT NULL' : ''};`,
  dropColumn: (table, column) => `ALTER TABLE ${q(table)} DROP COLUMN ${q(column)};`,
  dropIndex: (_, index) => `DROP INDEX ${q(index)};`,
  dropTable: (table) => `DROP TABLE ${q(table)};`,
};

/** SQLite through Drizzle ORM and better-sqlite3: schema as code, versioned migrations. */
export const dbSqlite: Feature = {
  id: 'db-sqlite',
  schemaColumns,
  migrationSql,
  moveRows: (table) => [
    '# SQLite: the two database files (DATABASE_URL of each project)',
    `sqlite3 "$MONOLITH_DATABASE" '.dump --data-only ${table}' | sqlite3 "$SERVICE_DATABASE"`,
  ],
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
    {
      name: 'SQLITE_SYNCHRONOUS',
      value: 'normal',
      comment: 'normal: a commit survives a crash of the process, not of the machine; full: an fsync on every commit',
      order: -1,
      schema: {
        type: ['normal', 'full'],
        default: 'normal',
        description: 'one of normal, full',
        rejects: 'off',
      },
      readme: {
        meaning:
          'when a commit reaches the disk: `normal` at checkpoints (an OS crash or power loss can lose the last commits), `full` on every commit (see Design decisions)',
        default: '`normal`',
      },
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
  snippets: [
    {
      place: 'schemaImports',
      text: ({ has, schemaNeeds }) =>
        importLine(
          // Owners' names are unique per owner; the users' refresh tokens have a revoked flag.
          ['index', 'sqliteTable', 'text', ...(has.auth ? ['unique'] : []), ...(has.authJwt ? ['integer'] : [])].concat(
            schemaNeeds.imports,
          ),
          'drizzle-orm/sqlite-core',
        ),
    },
    { place: 'appImports', import: "import database from './plugins/database.js';" },
    {
      place: 'appPlugins',
      order: 20,
      text: `  await fastify.register(database, {
    path: config.DATABASE_PATH,
    synchronous: config.SQLITE_SYNCHRONOUS,
    onQuery,
  });`,
    },
    { place: 'testHelperImports', import: "import { runMigrations } from '../src/db/migrate.js';" },
    { place: 'testConfigEnv', text: "    DATABASE_URL: 'file::memory:'," },
    { place: 'testApp', template: 'test-app.ts.hbs' },
    // bench/pagination.ts: a database file in a folder of its own, removed at the end, committed
    // as the app's default does.
    ...importsAt('benchImports', [
      "import { mkdtempSync, rmSync } from 'node:fs';",
      "import { tmpdir } from 'node:os';",
      "import { join } from 'node:path';",
    ]),
    {
      place: 'benchDatabase',
      text: `const dir = mkdtempSync(join(tmpdir(), 'bench-pagination-'));
const database = openDatabase(join(dir, 'bench.db'), 'normal');
runMigrations(database);`,
    },
    { place: 'benchAnalyze', text: 'db.run(sql`analyze`);' },
    { place: 'benchCleanup', text: 'rmSync(dir, { recursive: true, force: true });' },
  ],
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
