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
    },
    {
      name: 'REDIS_KEY_PREFIX',
      value: '',
      comment:
        'Prefix of every key this service writes, so services can share a server (empty: the package name and a colon)',
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
