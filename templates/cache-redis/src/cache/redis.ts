import { Redis } from 'ioredis';
import type { CacheStore } from './cache.js';

/**
 * A Redis client that fails fast. ioredis would otherwise queue commands while disconnected
 * and retry them, stalling every request during an outage; here a command fails at once while
 * disconnected, or after `commandTimeoutMs`, and the connection is re-made in the background.
 */
export function connectRedis(url: string, keyPrefix: string, commandTimeoutMs: number): Redis {
  return new Redis(url, {
    keyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    // Concurrent requests share one round trip instead of one write each.
    enableAutoPipelining: true,
  });
}

/** Resolves true once the client is ready, false if it is not within `ms`. */
export function whenReady(redis: Redis, ms: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, ms);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once('ready', onReady);
  });
}

/** Values are stored as JSON strings with a millisecond TTL. */
export function createRedisStore(redis: Redis): CacheStore {
  return {
    async get(key) {
      const raw = await redis.get(key);
      return raw === null ? undefined : JSON.parse(raw);
    },
    async set(key, value, ttlSeconds) {
      await redis.set(key, JSON.stringify(value), 'PX', Math.ceil(ttlSeconds * 1000));
    },
    async delete(key) {
      await redis.del(key);
    },
  };
}
