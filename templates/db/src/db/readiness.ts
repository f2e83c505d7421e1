import type { FastifyInstance } from 'fastify';
import { NotReady } from '../plugins/readiness.js';
import { pendingMigrations } from './migrate.js';

/**
 * Makes the readiness probe ask the database: it must answer, and have every migration.
 * Migrations are applied apart from the server (`npm run db:migrate`, or a deployment's job
 * beside it): until all of them are, the probe names the missing ones, and it turns ready by
 * itself once they are in. Asked until then only: a newer release only ever adds migrations.
 */
export function addDatabaseReadiness(fastify: FastifyInstance): void {
  const { database } = fastify;
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
}
