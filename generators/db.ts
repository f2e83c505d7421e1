import type { Feature } from './feature.js';
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
export const databaseServer: Feature = {
  id: 'db-server',
  uses: [database, tcpProxy],
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
