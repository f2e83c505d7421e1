import { LRUCache } from 'lru-cache';
import type { Cache, CacheEvents } from './cache.js';

export interface MemoryCacheOptions extends CacheEvents {
  defaultTtlSeconds: number;
  /** Bounds memory: the least recently used entry goes first. */
  maxEntries: number;
}

/**
 * A per-process LRU with TTL. Each replica has its own, so after a write another replica
 * may serve its cached copy until the TTL ends: keep CACHE_TTL_SECONDS short, or choose a
 * shared cache when that matters.
 */
export function createMemoryCache(options: MemoryCacheOptions): Cache {
  // Boxed, so that a stored null or 0 is told apart from a miss.
  const entries = new LRUCache<string, { value: unknown }>({ max: options.maxEntries });
  const loading = new Map<string, Promise<unknown>>();

  const lookup = (key: string) => {
    const entry = entries.get(key);
    if (entry) options.onHit?.();
    else options.onMiss?.();
    return entry;
  };
  const store = (key: string, value: unknown, ttlSeconds: number) => {
    entries.set(key, { value }, { ttl: ttlSeconds * 1000 });
  };

  return {
    defaultTtlSeconds: options.defaultTtlSeconds,

    async get<T>(key: string) {
      return lookup(key)?.value as T | undefined;
    },

    async set<T>(key: string, value: T, ttlSeconds = options.defaultTtlSeconds) {
      store(key, value, ttlSeconds);
    },

    async delete(key: string) {
      entries.delete(key);
      // A load that started before this delete may return the old value: it must not be stored.
      loading.delete(key);
    },

    async wrap<T>(key: string, ttlSeconds: number, load: () => T | Promise<T>): Promise<T> {
      const entry = lookup(key);
      if (entry) return entry.value as T;
      const pending = loading.get(key);
      if (pending) return pending as Promise<T>;

      const loaded: Promise<T> = (async () => load())().then(
        (value) => {
          if (loading.get(key) === loaded) {
            loading.delete(key);
            if (value !== undefined) store(key, value, ttlSeconds);
          }
          return value;
        },
        (error: unknown) => {
          if (loading.get(key) === loaded) loading.delete(key);
          throw error;
        },
      );
      loading.set(key, loaded);
      return loaded;
    },
  };
}
