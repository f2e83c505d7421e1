import fastifyMetrics from 'fastify-metrics';
import fp from 'fastify-plugin';

/**
 * Prometheus metrics at /metrics: default process metrics and an
 * http_request_duration_seconds histogram labelled method, route, status_code.
 */
export default fp(
  async (fastify) => {
    // fastify-metrics is CommonJS: under NodeNext its ESM default is module.exports.
    await fastify.register(fastifyMetrics.default, {
      endpoint: '/metrics',
      // One registry per process; re-registering on init lets tests build many apps.
      clearRegisterOnInit: true,
      routeMetrics: {
        enabled: { histogram: true, summary: false },
        // The route label is the pattern (/v1/items/:id); unmatched URLs are not recorded,
        // so a scan of random paths cannot create unbounded label values.
        registeredRoutesOnly: true,
        routeBlacklist: ['/metrics'],
      },
    });
  },
  { name: 'metrics' },
);
