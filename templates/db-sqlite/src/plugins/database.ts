import fp from 'fastify-plugin';
import { type DatabaseHandle, openDatabase, type Synchronous } from '../db/client.js';
import { addDatabaseReadiness } from '../db/readiness.js';

declare module 'fastify' {
  interface FastifyInstance {
    database: DatabaseHandle;
  }
}

export interface DatabaseOptions {
  /** SQLite file path, or `:memory:`. */
  path: string;
  synchronous: Synchronous;
  /** Called with each SQL statement before it runs. */
  onQuery?(query: string): void;
}

export default fp<DatabaseOptions>(
  async (fastify, opts) => {
    const database = openDatabase(opts.path, opts.synchronous, opts.onQuery);
    fastify.decorate('database', database);
    addDatabaseReadiness(fastify);
    // Runs after the server has stopped accepting and finished its in-flight requests.
    fastify.addHook('onClose', async () => database.close());
  },
  { name: 'database', dependencies: ['readiness'] },
);
