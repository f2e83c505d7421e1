import {
  type Context,
  context,
  ProxyTracerProvider,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** The trace context of this request's server span; null when it is not traced. */
    traceContext: Context | null;
  }
}

interface Flushable {
  forceFlush(): Promise<void>;
}

const isFlushable = (provider: object): provider is Flushable =>
  typeof (provider as Partial<Flushable>).forceFlush === 'function';

const path = (url: string) => {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
};

/** The SDK's provider once src/telemetry.ts has registered it; a no-op one otherwise. */
function tracerProvider(): object {
  const global = trace.getTracerProvider();
  return global instanceof ProxyTracerProvider ? global.getDelegate() : global;
}

/**
 * The server span of each request, named after its route pattern (`GET /v1/items/:id`), which
 * only Fastify knows. It continues the trace of an incoming `traceparent` header, and the rest
 * of the request (hooks, handler, database and cache calls, log lines) runs in its context.
 *
 * This takes the place of @opentelemetry/instrumentation-http's server side, which wraps every
 * request and response (binding their event emitters to the context, reading a dozen
 * attributes) at a cost these two hooks do not have. Without tracing (no endpoint, so no SDK)
 * no hook is added.
 */
export default fp(
  async (fastify) => {
    const provider = tracerProvider();
    if (!isFlushable(provider)) return;
    const tracer = trace.getTracer('http-server');
    fastify.decorateRequest('traceContext', null);

    fastify.addHook('onRequest', (request, _reply, done) => {
      const { url: route, config } = request.routeOptions;
      // Probes, polled every few seconds, would bury the traces of real requests.
      if (config.probe) return done();
      const parent = propagation.extract(ROOT_CONTEXT, request.headers);
      const span = tracer.startSpan(
        route === undefined ? request.method : `${request.method} ${route}`,
        {
          kind: SpanKind.SERVER,
          attributes: {
            'http.request.method': request.method,
            'http.route': route,
            'url.path': path(request.url),
            'url.scheme': request.protocol,
          },
        },
        parent,
      );
      request.traceContext = trace.setSpan(parent, span);
      context.with(request.traceContext, done);
    });

    // This plugin is registered first (src/app.ts), so the onResponse hooks after this one (the
    // access log line) run in the request's context too; the span ends once they have. A
    // request the client aborts before its response has no onResponse, and its span is
    // dropped unsent.
    fastify.addHook('onResponse', (request, reply, done) => {
      const traced = request.traceContext;
      if (traced === null) return done();
      const span = trace.getSpan(traced);
      span?.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span?.setStatus({ code: SpanStatusCode.ERROR });
      context.with(traced, done);
      span?.end();
    });

    // Spans are sent in batches every few seconds: send the last ones before the process exits.
    fastify.addHook('onClose', () => provider.forceFlush());
  },
  { name: 'tracing' },
);
