/**
 * What the application asks of a cache. Every backend (memory, Redis, Memcached) is a small
 * CacheStore; createCache adds what they share, so callers never change with the backend.
 */
export interface Cache {
  /** The TTL from CACHE_TTL_SECONDS, for callers without a reason to pick another. */
  readonly defaultTtlSeconds: number;
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlSeconds?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Cache-aside: the cached value, else `load()` stored for about `ttlSeconds`. Concurrent
   * misses for one key share one load. `undefined` (nothing found) is returned but not stored.
   */
  wrap<T>(key: string, ttlSeconds: number, load: () => T | Promise<T>): Promise<T>;
}

/** One backend: values in, values out; `undefined` from `get` is a miss. */
export interface CacheStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Observers of cache lookups, e.g. hit and miss counters. */
export interface CacheEvents {
  onHit?: () => void;
  onMiss?: () => void;
}

export interface CacheOptions extends CacheEvents {
  defaultTtlSeconds: number;
}

/**
 * Entries written together would expire together and send every reader to the database at
 * once; each TTL is spread over ±10% instead.
 */
export const withJitter = (ttlSeconds: number) => ttlSeconds * (0.9 + Math.random() * 0.2);

/** The Cache over one store: hit/miss events, TTL jitter and single flight per key. */
export function createCache(store: CacheStore, options: CacheOptions): Cache {
  const loading = new Map<string, Promise<unknown>>();

  const lookup = async (key: string) => {
    const value = await store.get(key);
    if (value === undefined) options.onMiss?.();
    else options.onHit?.();
    return value;
  };

  return {
    defaultTtlSeconds: options.defaultTtlSeconds,

    async get<T>(key: string) {
      return (await lookup(key)) as T | undefined;
    },

    async set<T>(key: string, value: T, ttlSeconds = options.defaultTtlSeconds) {
      await store.set(key, value, withJitter(ttlSeconds));
    },

    async delete(key: string) {
      // A load that started before this delete may return the old value: it must not be stored.
      loading.delete(key);
      await store.delete(key);
    },

    wrap<T>(key: string, ttlSeconds: number, load: () => T | Promise<T>): Promise<T> {
      const pending = loading.get(key);
      if (pending) return pending as Promise<T>;

      const loadAndStore = async () => {
        const cached = await lookup(key);
        if (cached !== undefined) return cached as T;
        const value = await load();
        if (loading.get(key) === loaded && value !== undefined) {
          await store.set(key, value, withJitter(ttlSeconds));
        }
        return value;
      };
      const loaded: Promise<T> = loadAndStore().finally(() => {
        if (loading.get(key) === loaded) loading.delete(key);
      });
      loading.set(key, loaded);
      return loaded;
    },
  };
}
