import type { Feature } from './feature.js';

/**
 * OpenTelemetry traces: `src/instrumentation.ts`, loaded with `--import` before the app, starts
 * `src/telemetry.ts` when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (and loads nothing otherwise),
 * which traces outbound `fetch` and the database and Redis clients and exports the spans over
 * OTLP/HTTP; `src/plugins/tracing.ts` makes each incoming request's span from Fastify's hooks
 * (named by route pattern), in place of `@opentelemetry/instrumentation-http`: a traced cached
 * read takes 15 to 34% less CPU without it (bench/RESULTS.md). Compose adds an OpenTelemetry
 * Collector and Jaeger.
 *
 * The tracer provider is assembled from its parts rather than from `@opentelemetry/sdk-node`,
 * which also brings the gRPC, protobuf, Zipkin, metrics and logs exporters: 88 packages
 * instead of 51, and protobufjs with an install script.
 */
export const monitoringOpentelemetry: Feature = {
  id: 'monitoring-opentelemetry',
  dependencies: [
    '@opentelemetry/api',
    '@opentelemetry/exporter-trace-otlp-http',
    '@opentelemetry/instrumentation',
    '@opentelemetry/instrumentation-pino',
    '@opentelemetry/instrumentation-undici',
    '@opentelemetry/resources',
    '@opentelemetry/sdk-trace-node',
  ],
  // better-sqlite3 and memjs have no instrumentation; the in-memory cache makes no calls to trace.
  dependenciesWith: {
    'db-postgres': ['@opentelemetry/instrumentation-pg'],
    'db-mysql': ['@opentelemetry/instrumentation-mysql2'],
    'cache-redis': ['@opentelemetry/instrumentation-ioredis'],
  },
  scripts: {
    dev: 'tsx watch --import ./src/instrumentation.ts src/server.ts',
    start: 'node --import ./dist/instrumentation.js dist/server.js',
  },
  env: [
    {
      name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
      value: '',
      comment:
        'OTLP/HTTP endpoint traces are sent to, e.g. http://127.0.0.1:4318; empty means tracing is off. OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG choose the sampling',
      // Read by the SDK in src/telemetry.ts, not by src/config.ts: no schema.
      readme: {
        meaning: 'where traces go over OTLP/HTTP, e.g. `http://127.0.0.1:4318`; empty turns tracing off',
        default: 'empty',
      },
    },
    {
      name: 'OTEL_SERVICE_NAME',
      value: '',
      comment: 'Service name on every span; empty means the package name',
      readme: [
        { meaning: 'the service name on every span', default: (data) => `\`${data.name}\`` },
        {
          names: ['OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG'],
          meaning: 'standard sampler choice, e.g. `parentbased_traceidratio` and `0.1` to keep one trace in ten',
          default: 'every trace (`parentbased_always_on`)',
        },
      ],
    },
  ],
  compose: {
    environment: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318' },
    services: {
      'otel-collector': {
        comment: 'Receives OTLP from the api and forwards it to Jaeger (observability/otel-collector.yaml).',
        image: 'otel/opentelemetry-collector-contrib:0.130.0',
        command: ['--config=/etc/otelcol-contrib/config.yaml'],
        volumes: ['./observability/otel-collector.yaml:/etc/otelcol-contrib/config.yaml:ro'],
        ports: ['127.0.0.1:4318:4318'],
        depends_on: { jaeger: { condition: 'service_started' } },
        restart: 'unless-stopped',
      },
      jaeger: {
        comment: 'Search the traces on http://127.0.0.1:16686 (kept in memory).',
        image: 'jaegertracing/jaeger:2.8.0',
        ports: ['127.0.0.1:16686:16686'],
        restart: 'unless-stopped',
      },
    },
  },
  snippets: [
    { place: 'appImports', import: "import tracing from './plugins/tracing.js';" },
    {
      place: 'appPlugins',
      order: 0,
      text: `  // First, so that a request refused by a later hook (401, 429) still has its span named.
  await fastify.register(tracing);`,
    },
  ],
  readme: [
    { place: 'readmeStack', order: 41, text: ', OpenTelemetry traces' },
    {
      place: 'readmeProbesExempt',
      order: 20,
      text: (data) => `${data.has.monitoringPrometheus ? ' or' : ' and are not'} traced`,
    },
    { place: 'readmeTraces', template: 'readme-traces.md.hbs' },
    {
      place: 'readmeObservability',
      order: 20,
      text: '`src/instrumentation.ts` + `src/telemetry.ts` + `src/plugins/tracing.ts` (OpenTelemetry traces of requests, queries and outbound calls, trace ids in the logs), ',
    },
    {
      place: 'readmeLayoutEntry',
      text: '  instrumentation.ts   loaded with --import before server.ts: starts telemetry.ts (OpenTelemetry)\n                       when OTEL_EXPORTER_OTLP_ENDPOINT is set',
    },
    { place: 'readmeLayoutPlugins', order: 20, text: ', tracing' },
  ],
};
