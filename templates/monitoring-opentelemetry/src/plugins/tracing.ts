import { ProxyTracerProvider, trace } from '@opentelemetry/api';
import fp from 'fastify-plugin';

interface Flushable {
  forceFlush(): Promise<void>;
}

const isFlushable = (provider: object): provider is Flushable =>
  typeof (provider as Partial<Flushable>).forceFlush === 'function';

/**
 * Names each request's span after its route pattern (`GET /v1/items/:id`) and sets
 * `http.route`, which only Fastify knows; the span itself is started by the HTTP
 * instrumentation of src/instrumentation.ts. Without tracing there is no span, and this
 * costs one lookup per request.
 */
export default fp(
  async (fastify) => {
    fastify.addHook('onRequest', (request, _reply, done) => {
      const route = request.routeOptions.url;
      if (route !== undefined) {
        trace
          .getActiveSpan()
          ?.setAttribute('http.route', route)
          .updateName(`${request.method} ${route}`);
      }
      done();
    });

    // Spans are sent in batches every few seconds: send the last ones before the process exits.
    fastify.addHook('onClose', async () => {
      const global = trace.getTracerProvider();
      const provider = global instanceof ProxyTracerProvider ? global.getDelegate() : global;
      if (isFlushable(provider)) await provider.forceFlush();
    });
  },
  { name: 'tracing' },
);
