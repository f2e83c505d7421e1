import { randomUUID } from 'node:crypto';

/**
 * What the application asks of a cache. Every backend (memory, Redis, Memcached) is a small
 * CacheStore; createCache adds what they share, so callers never change with the backend.
 */
export interface Cache {
  /** The TTL from CACHE_TTL_SECONDS, for callers without a reason to pick another. */
  readonly defaultTtlSeconds: number;
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlSeconds?: number): Promise<void>;
  /** Drops the entry, and any load under way for it will not store what it read. */
  delete(key: string): Promise<void>;
  /**
   * Cache-aside: the cached value, else `load()` stored for about `ttlSeconds`. Concurrent
   * misses for one key share one load. `undefined` (nothing found) is returned but not stored,
   * and so is a value whose key was deleted while it loaded, through any Cache on the store.
   */
  wrap<T>(key: string, ttlSeconds: number, load: () => T | Promise<T>): Promise<T>;
}

/**
 * One backend: values in, values out; `undefined` from `get` is a miss. A cache-aside load
 * stores its value through a reservation, so that a write made while it read the database wins
 * on every instance (see `wrap` below).
 */
export interface CacheStore {
  /** The value under `key`; `undefined` when there is none or only a reservation. */
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Puts the reservation `token` under `key` for `ttlSeconds`, the life of the value that will
   * fill it, if the key holds nothing: true if it did, false if the key holds anything.
   */
  reserve(key: string, token: string, ttlSeconds: number): Promise<boolean>;
  /**
   * Replaces the reservation `token` with `value`, keeping its TTL, if the key still holds it;
   * anything written since (a delete, a set, another reservation) is kept instead.
   */
  fill(key: string, token: string, value: unknown): Promise<void>;
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

/**
 * The Cache over one store: hit/miss events, TTL jitter and single flight per key.
 *
 * A load can read a row, then lose the race to a write that changes or deletes it, on this
 * instance or another, before it stores what it read. So it reserves the key before it reads,
 * and fills the reservation after: the write's delete removes the reservation, and the store
 * refuses the old row. A key only ever holds what a load read after the last write to it.
 */
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
      // A read that starts after this delete must not be handed a load that started before it.
      loading.delete(key);
      await store.delete(key);
    },

    wrap<T>(key: string, ttlSeconds: number, load: () => T | Promise<T>): Promise<T> {
      const pending = loading.get(key);
      if (pending) return pending as Promise<T>;

      const loadAndStore = async () => {
        const cached = await lookup(key);
        if (cached !== undefined) return cached as T;
        const token = randomUUID();
        // Another load holds the key, or has just filled it: this one reads and stores nothing.
        if (!(await store.reserve(key, token, withJitter(ttlSeconds)))) return load();
        let value: T;
        try {
          value = await load();
        } catch (error) {
          await store.delete(key);
          throw error;
        }
        // A reservation left unfilled would keep every other load from storing until it expired.
        if (value === undefined) await store.delete(key);
        else await store.fill(key, token, value);
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
