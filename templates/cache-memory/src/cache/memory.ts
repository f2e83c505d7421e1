import { LRUCache } from 'lru-cache';
import type { CacheStore } from './cache.js';

/** A stored value, or a load's reservation (`token`) until the load fills it in place. */
interface Entry {
  token?: string;
  value?: unknown;
}

/**
 * A per-process LRU with TTL. Each replica has its own, so after a write another replica
 * may serve its cached copy until the TTL ends: keep CACHE_TTL_SECONDS short, or choose a
 * shared cache when that matters.
 *
 * Values are handed back as stored, not copied: treat them as immutable.
 */
export function createMemoryStore(maxEntries: number): CacheStore {
  // Boxed, so that a stored null or 0 is told apart from a miss.
  const entries = new LRUCache<string, Entry>({ max: maxEntries });
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
    async reserve(key, token, ttlSeconds) {
      if (entries.has(key)) return false;
      entries.set(key, { token }, { ttl: ttlSeconds * 1000 });
      return true;
    },
    async fill(key, token, value) {
      // A set or a new reservation replaces the entry object, so only this load's is changed.
      const entry = entries.peek(key);
      if (entry?.token === token) entry.value = value;
    },
  };
}
