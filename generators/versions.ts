/**
 * The one map of dependency versions a generated project may get. A project
 * runs on Node 24 and on Node 22 from 22.12 (its `engines`, in src/plan.ts),
 * so every version here must too: check `npm view PKG engines` before raising
 * one, and what a native addon needs beyond it. Tools whose output or config
 * schema changes between minor versions (Biome, Vitest and Vite) are exact.
 */
export const dependencyVersions = {
  '@biomejs/biome': '2.6.8',
  '@elastic/ecs-pino-format': '^1.5.0',
  '@fastify/ajv-compiler': '^4.0.8',
  '@fastify/cors': '^11.4.3',
  '@fastify/rate-limit': '^11.2.0',
  '@fastify/swagger': '^9.9.3',
  '@fastify/swagger-ui': '^6.1.3',
  '@fastify/type-provider-typebox': '^6.3.0',
  '@fastify/under-pressure': '^9.2.0',
  // The OpenTelemetry JS 2.x / 0.223 line: its successors (3.x / 0.300) need Node 22.15, past
  // the 22.12 the projects support, and @opentelemetry/api 1.10 is outside this line's peer range.
  '@opentelemetry/api': '~1.9.1',
  '@opentelemetry/exporter-trace-otlp-http': '~0.223.1',
  '@opentelemetry/instrumentation': '~0.223.0',
  '@opentelemetry/instrumentation-ioredis': '~0.71.0',
  '@opentelemetry/instrumentation-mysql2': '~0.69.0',
  '@opentelemetry/instrumentation-pg': '~0.75.0',
  '@opentelemetry/instrumentation-pino': '~0.69.0',
  '@opentelemetry/instrumentation-undici': '~0.33.0',
  '@opentelemetry/resources': '~2.12.1',
  '@opentelemetry/sdk-trace-node': '~2.12.1',
  '@types/better-sqlite3': '^7.6.13',
  '@types/memjs': '^1.3.3',
  '@types/node': '^24.19.4',
  '@types/pg': '^8.23.1',
  // 13.x loads a Node-API 10 binary, which Node 22.12 and 22.13 lack (it crashes there).
  'better-sqlite3': '^12.6.2',
  'close-with-grace': '^2.5.0',
  cockatiel: '^4.0.0',
  'drizzle-kit': '^0.31.11',
  'drizzle-orm': '^0.45.4',
  'fast-check': '^4.10.2',
  fastify: '^5.12.8',
  'fastify-plugin': '^6.0.1',
  helmet: '^8.1.0',
  ioredis: '^6.0.0',
  jose: '^6.2.18',
  'lru-cache': '^11.5.3',
  memjs: '^1.3.2',
  mysql2: '^3.24.6',
  pg: '^8.23.1',
  pino: '^10.1.0',
  'prom-client': '^15.1.3',
  tsx: '^4.23.15',
  typebox: '^1.4.3',
  typescript: '~5.9.3',
  vite: '8.4.1',
  vitest: '5.1.2',
  yaml: '^2.9.1',
} as const;

export type DependencyName = keyof typeof dependencyVersions;
