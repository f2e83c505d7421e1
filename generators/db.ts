import type { Feature } from './feature.js';
import { tcpProxy } from './tcp-proxy.js';

/** What every database shares: the `db:migrate` script. Pulled in by each database value. */
export const database: Feature = {
  id: 'db',
};

/**
 * What the server databases (PostgreSQL, MySQL) share: the pooled database plugin with its
 * readiness check, the migration entry point, and the read-replica test.
 */
export const databaseServer: Feature = {
  id: 'db-server',
  uses: [database, tcpProxy],
  ci: { servicesNote: 'The tests run against real servers; each test app makes a database of its own.' },
};
