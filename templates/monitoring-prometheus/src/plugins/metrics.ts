import type { onResponseHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import client from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    /** prom-client, for plugins that add their own metrics to the same registry. */
    metrics: { client: typeof client };
  }
}

type Label = 'method' | 'route' | 'status_code';

/** The requests of one method, route pattern and status code. */
interface Series {
  labels: Record<Label, string | number>;
  requests: number;
  duration: client.Histogram.Internal<Label>;
}

/**
 * Prometheus metrics at /metrics: the RED pair (http_requests_total and the
 * http_request_duration_seconds histogram, labelled method, route and status_code) and
 * process and event-loop metrics. Each route gets its own onResponse hook that reads the
 * time Fastify already measured and updates series it looked up once, so a request costs
 * one histogram update and an addition, not a label lookup per metric.
 */
export default fp(
  async (fastify) => {
    // One registry per process; starting it afresh lets tests build many apps.
    client.register.clear();
    client.collectDefaultMetrics();
    const labelNames: Label[] = ['method', 'route', 'status_code'];
    const series: Series[] = [];
    new client.Counter<Label>({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route pattern',
      labelNames,
      // Counted in the series as requests end, handed to the counter when scraped.
      collect() {
        this.reset();
        for (const { labels, requests } of series) this.inc(labels, requests);
      },
    });
    const duration = new client.Histogram<Label>({
      name: 'http_request_duration_seconds',
      help: 'Duration of HTTP requests in seconds, by route pattern',
      labelNames,
    });
    fastify.decorate('metrics', { client });

    // The route pattern (/v1/items/:id), never the raw URL. Only routes are recorded, so a
    // scan of random paths cannot create label values; nor are the docs, registered before
    // this plugin. Probes and scrapes are not traffic: polled every few seconds, they would
    // fill the latency histogram with the fastest answers and water down the error rate.
    fastify.addHook('onRoute', (route) => {
      if (route.config?.probe) return;
      const seriesOf = new Map<string, Series>();
      const record: onResponseHookHandler = (request, reply, done) => {
        const key = `${request.method} ${reply.statusCode}`;
        let current = seriesOf.get(key);
        if (current === undefined) {
          const labels = {
            method: request.method,
            route: route.url,
            status_code: reply.statusCode,
          };
          current = { labels, requests: 0, duration: duration.labels(labels) };
          seriesOf.set(key, current);
          series.push(current);
        }
        current.requests += 1;
        current.duration.observe(reply.elapsedTime / 1000);
        done();
      };
      route.onResponse = [record, ...[route.onResponse ?? []].flat()];
    });

    fastify.get(
      '/metrics',
      {
        schema: {
          operationId: 'getMetrics',
          tags: ['monitoring'],
          // Prometheus scrapes it without a credential.
          security: [],
          summary: 'Prometheus metrics (text format)',
          response: {
            200: {
              description: 'Every series, in the Prometheus text format',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
          },
        },
        // Scraped every few seconds (src/plugins/logging.ts).
        config: { probe: true },
      },
      async (_request, reply) => {
        reply.type(client.register.contentType);
        return client.register.metrics();
      },
    );
  },
  { name: 'metrics' },
);
