/** The files `--auth jwt` adds. */
export const authFiles = [
  'src/modules/auth/passwords.ts',
  'src/modules/auth/repository.ts',
  'src/modules/auth/routes.ts',
  'src/modules/auth/schemas.ts',
  'src/modules/auth/tokens.ts',
  'src/plugins/authenticate.ts',
  'test/auth.test.ts',
  'test/token-attacks.test.ts',
];

/** The files every cache but `none` adds: the interface, cache-aside item reads, their tests. */
const sharedCacheFiles = [
  'src/cache/cache.ts',
  'src/modules/items/cache.ts',
  'src/plugins/cache.ts',
  'test/cache.test.ts',
];

/** The files the networked caches (Redis, Memcached) add: timeouts, circuit breaker, outage tests. */
const remoteCacheFiles = [
  'src/cache/remote.ts',
  'src/cache/resilient.ts',
  'test/cache-outage.test.ts',
  'test/cache-server.ts',
  'test/fixtures/tcp-proxy.ts',
  'test/resilient.test.ts',
];

/** The files each `--cache` value adds. */
export const cacheFiles = {
  memory: [...sharedCacheFiles, 'src/cache/memory.ts', 'test/cache-memory.test.ts'],
  redis: [...sharedCacheFiles, ...remoteCacheFiles, 'src/cache/redis.ts', 'test/redis.test.ts'],
  memcached: [...sharedCacheFiles, ...remoteCacheFiles, 'src/cache/memcached.ts', 'test/memcached.test.ts'],
  none: [],
} as const;

/** Every file any cache adds. */
export const anyCacheFile = [...new Set(Object.values(cacheFiles).flat())];
