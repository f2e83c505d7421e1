import type { onResponseHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import client from 'prom-client';
import { oldGenerationLimit } from './load-shedding.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** prom-client, for plugins that add their own metrics to the same registry. */
    metrics: { client: typeof client };
  }
}

type Label = 'method' | 'route' | 'status_code';

/** The route label of the requests Fastify refuses before routing them. */
const UNROUTED = '(unrouted)';

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
    // Gauges that prom-client names like counters (prometheus/client_js#283): each is the sum
    // of the gauge of the same name by type, which stays.
    for (const kind of ['handles', 'requests', 'resources']) {
      client.register.removeSingleMetric(`nodejs_active_${kind}_total`);
    }
    // What the heap can hold before the process dies, which load shedding also measures against:
    // the memory alert compares use with it. prom-client's heap total is only what V8 has
    // taken so far, so used over total sits near 1 on a healthy process.
    new client.Gauge({
      name: 'nodejs_heap_size_limit_bytes',
      help: 'Heap the process can fill with long-lived objects before it runs out of memory',
      collect() {
        this.set(oldGenerationLimit());
      },
    });
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

    /** Counts and times the requests of one route, by method and status code. */
    const recorder = (route: string): onResponseHookHandler => {
      const seriesOf = new Map<string, Series>();
      return (request, reply, done) => {
        const key = `${request.method} ${reply.statusCode}`;
        let current = seriesOf.get(key);
        if (current === undefined) {
          const labels = { method: request.method, route, status_code: reply.statusCode };
          current = { labels, requests: 0, duration: duration.labels(labels) };
          seriesOf.set(key, current);
          series.push(current);
        }
        current.requests += 1;
        current.duration.observe(reply.elapsedTime / 1000);
        done();
      };
    };

    // The route pattern (/v1/items/:id), never the raw URL. Only routes are recorded, so a
    // scan of random paths cannot create label values; nor are the docs, registered before
    // this plugin. Probes and scrapes are not traffic: polled every few seconds, they would
    // fill the latency histogram with the fastest answers and water down the error rate.
    fastify.addHook('onRoute', (route) => {
      if (route.config?.probe) return;
      route.onResponse = [recorder(route.url), ...[route.onResponse ?? []].flat()];
    });
    // A URL Fastify refuses before routing (malformed, or a path parameter over its length
    // limit) has no route pattern: they are all counted under one label value.
    fastify.unroutedHooks.onResponse.push(recorder(UNROUTED));

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
        // Scraped every few seconds (src/plugins/logging.ts), and answered while the process
        // sheds load (src/plugins/load-shedding.ts), so a saturated instance can still be seen.
        config: { probe: true, shed: false },
      },
      async (_request, reply) => {
        reply.type(client.register.contentType);
        return client.register.metrics();
      },
    );
  },
  { name: 'metrics', dependencies: ['errors'] },
);
