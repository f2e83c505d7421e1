import fp from 'fastify-plugin';
import client from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    /** prom-client, for plugins that add their own metrics to the same registry. */
    metrics: { client: typeof client };
  }
}

/**
 * Prometheus metrics at /metrics: the RED pair (http_requests_total and the
 * http_request_duration_seconds histogram, labelled method, route and status_code) and
 * process and event-loop metrics. One onResponse hook reads the time Fastify already
 * measured, so a request costs two metric updates and nothing more.
 */
export default fp(
  async (fastify) => {
    // One registry per process; starting it afresh lets tests build many apps.
    client.register.clear();
    client.collectDefaultMetrics();
    const labelNames = ['method', 'route', 'status_code'];
    const requests = new client.Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route pattern',
      labelNames,
    });
    const duration = new client.Histogram({
      name: 'http_request_duration_seconds',
      help: 'Duration of HTTP requests in seconds, by route pattern',
      labelNames,
    });
    fastify.decorate('metrics', { client });

    fastify.addHook('onResponse', (request, reply, done) => {
      // The route pattern (/v1/items/:id), never the raw URL. Unmatched URLs have none
      // and are not recorded, so a scan of random paths cannot create label values.
      const route = request.routeOptions.url;
      if (route !== undefined && route !== '/metrics') {
        const labels = { method: request.method, route, status_code: reply.statusCode };
        requests.inc(labels);
        duration.observe(labels, reply.elapsedTime / 1000);
      }
      done();
    });

    fastify.get(
      '/metrics',
      {
        schema: { tags: ['monitoring'], summary: 'Prometheus metrics (text format)' },
        // Scraped every few seconds: an access line each time would drown the real traffic.
        logLevel: 'warn',
      },
      async (_request, reply) => {
        reply.type(client.register.contentType);
        return client.register.metrics();
      },
    );
  },
  { name: 'metrics' },
);
