/**
 * What the application asks of a cache. The in-memory LRU implements it today; a Redis or
 * Memcached backend implements the same four calls, so callers never change.
 *
 * Values are treated as immutable: the memory backend hands back the stored object itself.
 */
export interface Cache {
  /** The TTL from CACHE_TTL_SECONDS, for callers without a reason to pick another. */
  readonly defaultTtlSeconds: number;
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlSeconds?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Cache-aside: the cached value, else `load()` stored for `ttlSeconds`. Concurrent misses
   * for one key share one load. `undefined` (nothing found) is returned but not stored.
   */
  wrap<T>(key: string, ttlSeconds: number, load: () => T | Promise<T>): Promise<T>;
}

/** Observers of cache lookups, e.g. hit and miss counters. */
export interface CacheEvents {
  onHit?: () => void;
  onMiss?: () => void;
}
