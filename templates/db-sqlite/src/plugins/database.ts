import fp from 'fastify-plugin';
import { type DatabaseHandle, openDatabase } from '../db/client.js';
import { pendingMigrations } from '../db/migrate.js';
import { NotReady } from './readiness.js';

declare module 'fastify' {
  interface FastifyInstance {
    database: DatabaseHandle;
  }
}

export interface DatabaseOptions {
  /** SQLite file path, or `:memory:`. */
  path: string;
}

export default fp<DatabaseOptions>(
  async (fastify, opts) => {
    const database = openDatabase(opts.path);
    fastify.decorate('database', database);
    // Migrations are applied apart from the server (`npm run db:migrate`, or the Kubernetes Job
    // beside it): until all of them are, the probe names the missing ones, and it turns ready by
    // itself once they are in. Asked until then only: a newer release only ever adds migrations.
    let migrated = false;
    const checkMigrations = async () => {
      if (migrated) return;
      const pending = await pendingMigrations(database);
      if (pending.length > 0) {
        throw new NotReady(
          `migrations not applied: ${pending.join(', ')}; run \`npm run db:migrate\``,
        );
      }
      migrated = true;
    };
    fastify.readiness.add('database', async () => {
      await database.ping();
      await checkMigrations();
    });
    // Said once at start too, for whoever runs `npm run dev` before `npm run db:migrate`.
    fastify.addHook('onListen', async () => {
      await checkMigrations().catch((error) => {
        if (error instanceof NotReady) fastify.log.warn(`database not ready: ${error.message}`);
      });
    });
    // Runs after the server has stopped accepting and finished its in-flight requests.
    fastify.addHook('onClose', async () => database.close());
  },
  { name: 'database', dependencies: ['readiness'] },
);
