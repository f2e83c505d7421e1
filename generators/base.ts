import { commaList } from './config.js';
import { type Feature, importsAt, type SnippetData } from './feature.js';

/** Modules added with `add resource`: the app registers them all through one plugin. */
const withResources = (data: SnippetData) => data.resources.length > 0;

/** What every project gets: the Fastify app, its safeguards, tests and tooling. */
export const base: Feature = {
  id: 'base',
  dependencies: [
    '@fastify/ajv-compiler',
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
    {
      name: 'PORT',
      value: '3000',
      comment: 'Where to listen',
      order: -1,
      schema: {
        type: 'integer',
        minimum: 0,
        maximum: 65535,
        default: 3000,
        description: 'an integer 0..65535',
        example: { value: '8080', loaded: 8080 },
        rejects: '65536',
      },
      readme: { names: ['PORT', 'HOST'], meaning: 'where to listen', default: '`3000`, `0.0.0.0`' },
    },
    {
      name: 'HOST',
      value: '0.0.0.0',
      comment: 'Interface to bind',
      order: -1,
      schema: { type: 'string', minLength: 1, default: '0.0.0.0', description: 'a host name or address' },
    },
    {
      name: 'NODE_ENV',
      value: 'development',
      comment: 'development, test or production',
      order: -1,
      schema: {
        type: ['development', 'test', 'production'],
        default: 'development',
        description: 'one of development, test, production',
        example: { value: 'production', loaded: 'production' },
        rejects: 'prod',
      },
      readme: { meaning: '`development`, `test`, `production`', default: '`development`' },
    },
    {
      name: 'LOG_LEVEL',
      value: 'info',
      comment: 'pino level: fatal, error, warn, info, debug, trace or silent',
      order: -1,
      schema: {
        type: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
        default: 'info',
        description: 'one of fatal, error, warn, info, debug, trace, silent',
        rejects: 'verbose',
      },
      readme: { meaning: 'pino level: `fatal` … `trace`, `silent`', default: '`info`' },
    },
    {
      name: 'CORS_ORIGINS',
      value: '',
      comment: 'Comma list of origins allowed to call the API from a browser; empty means none',
      schema: {
        type: 'string',
        pattern: '^(https?://[^/,\\s]+(,https?://[^/,\\s]+)*)?$',
        default: '',
        description: 'a comma list of origins like https://app.example.com',
        derived: commaList('CORS_ORIGINS'),
        example: {
          value: 'https://a.example,http://localhost:5173',
          loaded: ['https://a.example', 'http://localhost:5173'],
        },
        rejects: '*',
      },
      readme: { meaning: 'comma list of allowed origins; empty means no cross-origin access', default: 'empty' },
    },
    {
      name: 'RATE_LIMIT_MAX',
      value: '100',
      comment: 'Requests per window per client',
      schema: { type: 'integer', minimum: 1, default: 100, description: 'an integer >= 1', rejects: '0' },
      readme: {
        names: ['RATE_LIMIT_MAX', 'RATE_LIMIT_WINDOW_MS'],
        meaning: (data) =>
          data.has.auth
            ? 'requests per window per principal (a valid credential), else per client IP'
            : 'requests per window per client IP',
        default: '`100`, `60000`',
      },
    },
    {
      name: 'RATE_LIMIT_WINDOW_MS',
      value: '60000',
      comment: 'Rate-limit window in milliseconds',
      schema: { type: 'integer', minimum: 1, default: 60000, description: 'an integer >= 1' },
    },
    {
      name: 'TRUST_PROXY',
      value: '',
      comment:
        'Proxies in front (load balancer, ingress) whose X-Forwarded-For names the client: comma list of IPs or CIDR ranges, or loopback, linklocal, uniquelocal; empty trusts none',
      schema: {
        type: 'string',
        default: '',
        description: 'a comma list of proxy IP addresses or CIDR ranges (or loopback, linklocal, uniquelocal)',
        comment: 'No hop count: it cannot tell a proxy from a client that writes X-Forwarded-For itself.',
        refine: "(value) => value === '' || value.split(',').every(isProxyEntry)",
      },
      readme: {
        meaning:
          "the proxies in front (load balancer, ingress) whose `X-Forwarded-For` names the client: a comma list of IP addresses and CIDR ranges, or `loopback`, `linklocal`, `uniquelocal`; empty trusts none, and the client IP is the socket's peer",
        default: 'empty',
      },
    },
    {
      name: 'BODY_LIMIT',
      value: '1048576',
      comment: 'Largest request body in bytes',
      schema: { type: 'integer', minimum: 1, default: 1048576, description: 'an integer >= 1 (bytes)' },
      readme: { meaning: 'largest request body, in bytes', default: '`1048576`' },
    },
    {
      name: 'LOAD_SHED_EVENT_LOOP_DELAY_MS',
      value: '1000',
      comment: 'Answer 503 while work waits this long to run (event-loop delay); 0 turns it off',
      schema: {
        type: 'integer',
        minimum: 0,
        default: 1000,
        description: 'an integer >= 0 (milliseconds; 0 turns it off)',
        rejects: '-1',
      },
      readme: {
        meaning:
          'answer `503` with `Retry-After` while work waits this long before it runs (mean event-loop delay); `0` turns it off',
        default: '`1000`',
      },
    },
  ],
  configCode: {
    imports: [{ from: 'node:net', names: ['isIP'] }],
    helpers: `// The ranges Fastify's proxy-addr knows by name: loopback (127.0.0.0/8, ::1), linklocal
// (169.254.0.0/16, fe80::/10) and uniquelocal (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16,
// fc00::/7).
const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/** One entry of TRUST_PROXY: an IP address, a CIDR range (not /0: everybody) or a named range. */
function isProxyEntry(entry: string): boolean {
  if (NAMED_RANGES.includes(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  const maxBits = version === 4 ? 32 : 128;
  return bits === undefined || (/^[1-9][0-9]{0,2}$/.test(bits) && Number(bits) <= maxBits);
}`,
  },
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
      "import { buildValidator } from './lib/validation.js';",
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
      "import { createRepository } from '../src/modules/items/repository.js';",
    ]),
  ],
  readme: [
    { place: 'readmeStack', order: 23, when: (data) => !data.has.auth, text: ', no authentication (the API is open)' },
  ],
};
