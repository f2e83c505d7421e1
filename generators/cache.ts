import type { Feature } from './feature.js';
import { tcpProxy } from './tcp-proxy.js';

/**
 * What every cache backend shares: the cache interface with single flight and TTL jitter, and
 * cache-aside item reads. Pulled in by each cache value, so `--cache none` gets none of it.
 */
export const cache: Feature = {
  id: 'cache',
  env: [
    {
      name: 'CACHE_TTL_SECONDS',
      value: '60',
      comment: 'How long a cached read is served (each entry gets ±10% jitter)',
      schema: { type: 'integer', minimum: 1, default: 60, description: 'an integer >= 1', rejects: '0' },
      readme: { meaning: 'how long a cached item read is served (each entry ±10%)', default: '`60`' },
    },
  ],
  readme: [
    { place: 'readmeCache', order: 10, template: 'readme-cache.md.hbs' },
    // The blank line that closes the section, after whichever snippet of the backend comes last.
    { place: 'readmeCache', order: 99, text: '' },
    {
      place: 'readmeScalability',
      order: 10,
      text: '`src/cache/` + `src/modules/items/cache.ts` (cache-aside reads, single flight, TTL jitter',
    },
    { place: 'readmeScalability', order: 12, text: '), ' },
    { place: 'readmeLayoutPlugins', order: 50, text: ', cache' },
  ],
};

/**
 * What the networked backends (Redis, Memcached) add: a timeout and a circuit breaker around
 * every call, so an unreachable cache turns into database reads instead of errors.
 */
export const cacheRemote: Feature = {
  id: 'cache-remote',
  uses: [cache, tcpProxy],
  ci: { servicesNote: 'The tests run against a real cache server.' },
  env: [
    {
      name: 'CACHE_TIMEOUT_MS',
      value: '200',
      comment: 'How long a request waits for the cache server before it reads the database instead',
      schema: { type: 'integer', minimum: 1, default: 200, description: 'an integer >= 1 (milliseconds)' },
      readme: {
        meaning: 'how long a request waits for the cache server before it reads the database instead',
        default: '`200`',
      },
    },
  ],
  snippets: [
    { place: 'testHelperImports', import: "import { cacheEnv } from './cache-server.js';" },
    {
      place: 'testConfigEnv',
      text: `    // The real cache server, and a key prefix of this app's own under this run's
    // (test/cache-server.ts): no app sees another's entries or counts unless a test shares one.
    ...cacheEnv(),
    // A busy machine can stall a test process for longer than the 200 ms a request waits for
    // the cache: the process then runs the deadline's timer before it reads the answer that
    // came in time, and the cache looks down (/health/ready 503). cache-outage.test.ts tests
    // the deadline with its own.
    CACHE_TIMEOUT_MS: '5000',`,
    },
    // Checked once before the suites (vitest.config.ts).
    { place: 'testGlobalSetup', order: 10, text: 'test/cache-server.ts' },
  ],
  readme: [
    { place: 'readmeReadyChecks', text: ' and `cache`' },
    {
      place: 'readmeReadyDegraded',
      text: '; `200` with `"status":"degraded"` and `cache: degraded` while the cache is down (reads fall back to the database, so replicas stay in service)',
    },
    { place: 'readmeCache', order: 30, template: 'readme-cache.md.hbs' },
    { place: 'readmeScalability', order: 11, text: ', timeouts and circuit breaker' },
    { place: 'readmeErrorHandling', text: ', `src/cache/resilient.ts` (the cache fails over to the database)' },
    { place: 'readmeShutdownCloses', order: 20, text: ' and the cache connection' },
  ],
  tests: [
    { place: 'shutdownLocalImports', text: "import { cacheEnv } from './cache-server.js';" },
    {
      place: 'shutdownServerEnv',
      text: "      // Its rate-limit counts and entries apart from a dev server's on the same cache server.\n      ...cacheEnv(),",
    },
  ],
};
