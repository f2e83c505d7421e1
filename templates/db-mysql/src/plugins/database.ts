import fp from 'fastify-plugin';
import { type DatabaseHandle, openDatabase } from '../db/client.js';

declare module 'fastify' {
  interface FastifyInstance {
    database: DatabaseHandle;
  }
}

export interface DatabaseOptions {
  url: string;
  replicaUrls: string[];
  poolMax: number;
}

export default fp<DatabaseOptions>(
  async (fastify, opts) => {
    const database = openDatabase({
      ...opts,
      onIdleError: (error) => fastify.log.warn({ err: error }, 'idle database connection lost'),
    });
    fastify.decorate('database', database);
    // Connections are opened on demand, so the app starts while the database is down: the
    // probe says so (503) until it answers again, and no restart is needed.
    fastify.readiness.add('database', () => database.ping());
    // Runs after the server has stopped accepting and finished its in-flight requests.
    fastify.addHook('onClose', () => database.close());
  },
  { name: 'database', dependencies: ['readiness'] },
);
