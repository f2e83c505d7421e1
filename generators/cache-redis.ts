import { cacheRemote } from './cache.js';
import type { Feature } from './feature.js';

/** Redis through ioredis: one cache and one rate-limit count for every instance of the service. */
export const cacheRedis: Feature = {
  id: 'cache-redis',
  uses: [cacheRemote],
  sharesRateLimits: true,
  dependencies: ['ioredis'],
  env: [
    {
      name: 'REDIS_URL',
      value: 'redis://127.0.0.1:6379',
      comment: 'Redis server for the cache and the rate limits',
      secret: true,
      schema: {
        type: 'string',
        pattern: '^rediss?://.+$',
        default: 'redis://127.0.0.1:6379',
        description: 'a Redis URL like redis://127.0.0.1:6379',
        rejects: 'http://cache:6379',
      },
      readme: {
        meaning: 'Redis for the cache and the rate-limit counters (`redis://` or `rediss://`)',
        default: '`redis://127.0.0.1:6379`',
      },
    },
    {
      name: 'REDIS_KEY_PREFIX',
      value: '',
      comment:
        'Prefix of every key this service writes, so services can share a server (empty: the package name and a colon)',
      schema: {
        type: 'string',
        maxLength: 100,
        default: (data) => `${data.name}:`,
        description: 'a key prefix of at most 100 characters',
      },
      readme: { meaning: 'prefix of every key this service writes', default: (data) => `\`${data.name}:\`` },
    },
  ],
  compose: {
    environment: { REDIS_URL: 'redis://redis:6379' },
    services: {
      redis: {
        comment: 'A cache: nothing to keep across restarts. `docker compose up -d redis` for the tests.',
        neededByApp: true,
        image: 'redis:7-alpine',
        command: ['redis-server', '--save', '', '--appendonly', 'no'],
        ports: ['127.0.0.1:6379:6379'],
        healthcheck: { test: ['CMD', 'redis-cli', 'ping'], interval: '5s', timeout: '3s', retries: 10 },
        restart: 'unless-stopped',
      },
    },
  },
  ci: {
    services: {
      redis: {
        comment: 'REDIS_URL defaults to redis://127.0.0.1:6379.',
        image: 'redis:7-alpine',
        ports: ['6379:6379'],
      },
    },
  },
  snippets: [
    { place: 'appImports', import: "import cache from './plugins/cache.js';" },
    {
      place: 'appPlugins',
      order: 70,
      text: `  await fastify.register(cache, {
    url: config.REDIS_URL,
    keyPrefix: config.REDIS_KEY_PREFIX,
    ttlSeconds: config.CACHE_TTL_SECONDS,
    timeoutMs: config.CACHE_TIMEOUT_MS,
  });`,
    },
    // The rate limits count in Redis too: one count for every instance of the service.
    { place: 'rateLimitOptions', text: '    redis: fastify.redis,' },
    { place: 'rateLimitImports', import: "import type { Redis } from 'ioredis';" },
    {
      place: 'rateLimitOptionTypes',
      text: `  /** Where the counters live: shared by every instance, so the limit is global. */
  redis: Redis;`,
    },
    {
      place: 'rateLimitNotes',
      text: ` *
 * While Redis cannot be reached the limit fails open (requests pass, skipOnError): an
 * outage of the cache must not take the API down.`,
    },
    {
      place: 'rateLimitSettings',
      order: 10,
      text: `      redis: opts.redis,
      nameSpace: 'rate-limit:',
      skipOnError: true,`,
    },
  ],
  readme: [
    { place: 'readmeStack', order: 30, text: ', a Redis cache (rate limits in Redis too)' },
    { place: 'readmeRunTests', template: 'readme-tests.md.hbs' },
    { place: 'readmeReplicaRateLimits', template: 'readme-replicas.md.hbs' },
    { place: 'readmeCache', order: 20, template: 'readme-cache.md.hbs' },
    { place: 'readmeScalability', order: 20, text: '`src/plugins/rate-limit.ts` (limits shared through Redis), ' },
    {
      place: 'readmeLayoutCache',
      text: '  cache/               the cache interface, its Redis store and the timeout + circuit breaker',
    },
  ],
};
