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
    // Closing drops the connections idle at this moment only. A keep-alive connection whose
    // request is still in flight goes idle after its response, and a client (or a proxy's
    // pool) that sends nothing more would hold it open until the deadline: drop those too.
    const dropIdle = setInterval(() => app.server.closeIdleConnections(), 100);
    try {
      await app.close();
    } finally {
      clearInterval(dropIdle);
    }
  });
  await app.listen({ port: config.PORT, host: config.HOST });
}
