import { type Feature, importsAt, type SnippetData } from './feature.js';

/** Modules added with `add resource`: the app registers them all through one plugin. */
const withResources = (data: SnippetData) => data.resources.length > 0;

/** What every project gets: the Fastify app, its safeguards, tests and tooling. */
export const base: Feature = {
  id: 'base',
  dependencies: [
    '@fastify/cors',
    '@fastify/rate-limit',
    '@fastify/swagger',
    '@fastify/swagger-ui',
    '@fastify/type-provider-typebox',
    '@fastify/under-pressure',
    'close-with-grace',
    'cockatiel',
    'fastify',
    'fastify-plugin',
    'helmet',
    'pino',
    'typebox',
  ],
  devDependencies: ['@biomejs/biome', '@types/node', 'fast-check', 'tsx', 'typescript', 'vite', 'vitest'],
  scripts: {
    dev: 'tsx watch src/server.ts',
    build: 'tsc -p tsconfig.build.json',
    start: 'node dist/server.js',
    test: 'vitest run',
    typecheck: 'tsc --noEmit',
    lint: 'biome check .',
    format: 'biome format --write .',
    'bench:pagination': 'tsx bench/pagination.ts',
  },
  // esbuild (under tsx, vite and drizzle-kit) checks its platform binary after install.
  buildsNative: ['esbuild'],
  env: [
    { name: 'PORT', value: '3000', comment: 'Where to listen' },
    { name: 'HOST', value: '0.0.0.0', comment: 'Interface to bind' },
    { name: 'NODE_ENV', value: 'development', comment: 'development, test or production' },
    { name: 'LOG_LEVEL', value: 'info', comment: 'pino level: fatal, error, warn, info, debug, trace or silent' },
    {
      name: 'CORS_ORIGINS',
      value: '',
      comment: 'Comma list of origins allowed to call the API from a browser; empty means none',
    },
    { name: 'RATE_LIMIT_MAX', value: '100', comment: 'Requests per window per client' },
    { name: 'RATE_LIMIT_WINDOW_MS', value: '60000', comment: 'Rate-limit window in milliseconds' },
    {
      name: 'TRUST_PROXY',
      value: '',
      comment:
        'Proxies in front (load balancer, ingress) whose X-Forwarded-For names the client: comma list of IPs or CIDR ranges, or loopback, linklocal, uniquelocal; empty trusts none',
    },
    { name: 'BODY_LIMIT', value: '1048576', comment: 'Largest request body in bytes' },
    {
      name: 'LOAD_SHED_EVENT_LOOP_DELAY_MS',
      value: '1000',
      comment: 'Answer 503 while work waits this long to run (event-loop delay); 0 turns it off',
    },
  ],
  compose: { environment: { NODE_ENV: 'production', LOG_LEVEL: 'info', CORS_ORIGINS: '' } },
  /**
   * The app plugin (`src/app.ts`): the base's registrations stand at 10 (the safeguards every
   * request passes), 50 (docs, before the rate limiter), 80 (health routes), 90 (the rate
   * limiter: it applies to routes registered after it) and 110 and 120 (items, resources).
   * Features register theirs between: the first plugin at 0, the database at 20, what
   * authenticates at 30 and 40, monitoring at 60, the cache at 70, limited routes from 100.
   */
  snippets: [
    ...importsAt('appImports', [
      "import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';",
      "import fp from 'fastify-plugin';",
      "import type { Config } from './config.js';",
      "import healthRoutes from './modules/health/routes.js';",
      "import itemRoutes from './modules/items/routes.js';",
      "import docs from './plugins/docs.js';",
      "import errors, { clientErrorHandler, frameworkErrors } from './plugins/errors.js';",
      "import loadShedding from './plugins/load-shedding.js';",
      "import logging, { loggerOptions } from './plugins/logging.js';",
      "import rateLimit from './plugins/rate-limit.js';",
      "import readiness from './plugins/readiness.js';",
      "import requestId, { genReqId } from './plugins/request-id.js';",
      "import security from './plugins/security.js';",
    ]),
    {
      place: 'appPlugins',
      order: 10,
      text: `  await fastify.register(errors);
  await fastify.register(logging);
  await fastify.register(requestId);
  await fastify.register(security, { corsOrigins: config.CORS_ORIGINS });
  await fastify.register(loadShedding, { maxEventLoopDelay: config.LOAD_SHED_EVENT_LOOP_DELAY_MS });
  await fastify.register(readiness);`,
    },
    {
      place: 'appPlugins',
      order: 50,
      text: `
  // Registered before rate-limit, which only applies to routes added after it.
  await fastify.register(docs);`,
    },
    { place: 'appPlugins', order: 80, text: '  await fastify.register(healthRoutes);' },
    // With options from the features at `rateLimitOptions`.
    { place: 'appPlugins', order: 90, template: 'app-rate-limit.ts.hbs' },
    { place: 'appPlugins', order: 110, text: "  await fastify.register(itemRoutes, { prefix: '/v1/items' });" },
    { place: 'appImports', import: "import resourceRoutes from './modules/index.js';", when: withResources },
    { place: 'appPlugins', order: 120, text: '  await fastify.register(resourceRoutes);', when: withResources },
    // test/helpers.ts: the database's buildTestApp at `testApp`, the other features' settings.
    ...importsAt('testHelperImports', [
      "import { connect } from 'node:net';",
      "import { Writable } from 'node:stream';",
      "import type { FastifyInstance } from 'fastify';",
      "import { buildApp } from '../src/app.js';",
      "import { type Config, loadConfig } from '../src/config.js';",
    ]),
    // src/plugins/rate-limit.ts: where the counts live, and how a client is told from another.
    ...importsAt('rateLimitImports', [
      "import rateLimit from '@fastify/rate-limit';",
      "import fp from 'fastify-plugin';",
    ]),
    // src/plugins/logging.ts: the format of every line, what a probe is.
    ...importsAt('loggingImports', [
      "import { DrizzleQueryError } from 'drizzle-orm';",
      "import type { FastifyError, FastifyServerOptions, onResponseHookHandler } from 'fastify';",
      "import fp from 'fastify-plugin';",
      "import pino, { type DestinationStream, type LogFn, type Logger } from 'pino';",
      "import type { Config } from '../config.js';",
      "import { loggableDatabaseError } from '../db/errors.js';",
      "import type { LoggableError } from '../errors.js';",
    ]),
    // bench/pagination.ts: the database opens, analyzes and cleans up its own.
    ...importsAt('benchImports', [
      "import { performance } from 'node:perf_hooks';",
      "import { desc, sql } from 'drizzle-orm';",
      "import { openDatabase } from '../src/db/client.js';",
      "import { runMigrations } from '../src/db/migrate.js';",
      "import { items } from '../src/db/schema.js';",
      "import { createItemRepository } from '../src/modules/items/repository.js';",
    ]),
  ],
};
