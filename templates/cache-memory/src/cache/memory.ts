import { LRUCache } from 'lru-cache';
import type { CacheStore } from './cache.js';

/**
 * A per-process LRU with TTL. Each replica has its own, so after a write another replica
 * may serve its cached copy until the TTL ends: keep CACHE_TTL_SECONDS short, or choose a
 * shared cache when that matters.
 *
 * Values are handed back as stored, not copied: treat them as immutable.
 */
export function createMemoryStore(maxEntries: number): CacheStore {
  // Boxed, so that a stored null or 0 is told apart from a miss.
  const entries = new LRUCache<string, { value: unknown }>({ max: maxEntries });
  return {
    async get(key) {
      return entries.get(key)?.value;
    },
    async set(key, value, ttlSeconds) {
      entries.set(key, { value }, { ttl: ttlSeconds * 1000 });
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}
