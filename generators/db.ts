import { type EnvVariable, type Feature, importsAt, type SnippetData } from './feature.js';
import { tcpProxy } from './tcp-proxy.js';

/** What every database shares: the `db:migrate` script. Pulled in by each database value. */
export const database: Feature = {
  id: 'db',
  readme: [{ place: 'readmeStack', order: 11, text: ' through Drizzle ORM' }],
};

/**
 * What the server databases (PostgreSQL, MySQL) share: the pooled database plugin with its
 * readiness check, the migration entry point, and the read-replica test.
 */
/** DATABASE_POOL_MAX, the same for every server database. */
export const poolMax: EnvVariable = {
  name: 'DATABASE_POOL_MAX',
  value: '10',
  comment: 'Connections per pool (the primary and each replica)',
  order: -1,
  schema: { type: 'integer', minimum: 1, default: 10, description: 'an integer >= 1', rejects: '0' },
  readme: { meaning: 'connections per pool (the primary and each replica)', default: '`10`' },
};

export const databaseServer: Feature = {
  id: 'db-server',
  uses: [database, tcpProxy],
  ci: { servicesNote: 'The tests run against real servers; each test app makes a database of its own.' },
  snippets: [
    { place: 'schemaImports', text: schemaImport },
    { place: 'appImports', import: "import database from './plugins/database.js';" },
    {
      place: 'appPlugins',
      order: 20,
      text: `  await fastify.register(database, {
    url: config.DATABASE_URL,
    replicaUrls: config.DATABASE_REPLICA_URLS,
    poolMax: config.DATABASE_POOL_MAX,
    onQuery,
  });`,
    },
    ...importsAt('testHelperImports', [
      "import { runMigrations } from '../src/db/migrate.js';",
      "import { createTestDatabase } from './database.js';",
    ]),
    { place: 'testApp', template: 'test-app.ts.hbs' },
    // Checked once before the suites (vitest.config.ts).
    { place: 'testGlobalSetup', text: 'test/global-setup.ts' },
    // bench/pagination.ts: a database of its own on the server, dropped at the end.
    { place: 'benchImports', import: "import { createTestDatabase } from '../test/database.js';" },
    {
      place: 'benchDatabase',
      text: `// A database of its own on the DATABASE_URL server, dropped at the end.
const scratch = await createTestDatabase();
const database = openDatabase({
  url: scratch.url,
  replicaUrls: [],
  poolMax: 2,
  onIdleError: () => {},
});
await runMigrations(database);`,
    },
    { place: 'benchCleanup', text: 'await scratch.drop();' },
  ],
  readme: [
    {
      place: 'readmeRunDatabase',
      order: 20,
      text: (data) => `${data.pm.run} db:migrate        # applies drizzle/*.sql to the DATABASE_URL database`,
    },
    { place: 'readmeMigrations', template: 'readme-migrate.md.hbs' },
    { place: 'readmeReplicas', order: 10, template: 'readme-replicas.md.hbs' },
    { place: 'readmeShutdownCloses', order: 10, text: ' pools' },
    {
      place: 'readmeDatabaseDesign',
      text: ', `src/db/client.ts` (pool sized by `DATABASE_POOL_MAX`, connect and statement timeouts, read replicas), `src/db/errors.ts` (409/503, never SQL in a response)',
    },
    { place: 'readmeLayoutDatabase', text: ' pool and replicas' },
    { place: 'readmeDesign', order: 10, template: 'readme-design.md.hbs' },
  ],
  tests: [{ place: 'shutdownServerEnv', text: '      // The pool connects on first use, and /slow uses no database.' }],
};

/**
 * The schema's import of its column types: the common ones, the dialect's own, and those the
 * tables of the chosen credentials use; on one line when it fits, as the formatter writes it.
 */
function schemaImport({ dialect, has, schemaNeeds }: SnippetData): string {
  if (dialect === undefined) throw new Error('db-server is rendered without a SQL dialect');
  const names = new Set(['customType', 'index', dialect.table, 'text', 'varchar', ...dialect.columns]);
  // Owners' names are unique per owner; the users' refresh tokens have a revoked flag.
  if (has.auth) names.add('unique');
  if (has.authJwt) names.add('boolean');
  return importLine([...names, ...schemaNeeds.imports], dialect.core);
}

/** `import { a, b } from 'module';`, sorted, on one line when it fits, as the formatter writes it. */
export function importLine(names: readonly string[], from: string): string {
  const sorted = [...new Set(names)].sort();
  const line = `import { ${sorted.join(', ')} } from '${from}';`;
  return line.length <= 100 ? line : `import {\n${sorted.map((name) => `  ${name},\n`).join('')}} from '${from}';`;
}
