import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';

/**
 * Listens, then on SIGTERM/SIGINT stops accepting connections, lets in-flight requests
 * finish (up to 10 s), runs every onClose hook (database, cache) and exits 0.
 */
export async function serve(app: FastifyInstance, config: Config): Promise<void> {
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after a fatal error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
  });
  await app.listen({ port: config.PORT, host: config.HOST });
}
