import { Redis, type Result } from 'ioredis';
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

declare module 'ioredis' {
  interface RedisCommander<Context> {
    fillReservation(key: string, reservation: string, value: string): Result<'OK' | null, Context>;
  }
}

/** Writes the value only if the key still holds the reservation: one step, nothing between. */
const FILL_RESERVATION = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
end
return false`;

/** A load's reservation, told from a value because no JSON text starts with `?`. */
const reservation = (token: string) => `?${token}`;

/** Values are stored as JSON strings with a millisecond TTL. */
export function createRedisStore(redis: Redis): CacheStore {
  redis.defineCommand('fillReservation', { numberOfKeys: 1, lua: FILL_RESERVATION });
  return {
    async get(key) {
      const raw = await redis.get(key);
      return raw === null || raw.startsWith('?') ? undefined : JSON.parse(raw);
    },
    async set(key, value, ttlSeconds) {
      await redis.set(key, JSON.stringify(value), 'PX', Math.ceil(ttlSeconds * 1000));
    },
    async delete(key) {
      await redis.del(key);
    },
    async reserve(key, token, ttlSeconds) {
      const ttl = Math.ceil(ttlSeconds * 1000);
      return (await redis.set(key, reservation(token), 'PX', ttl, 'NX')) === 'OK';
    },
    async fill(key, token, value) {
      await redis.fillReservation(key, reservation(token), JSON.stringify(value));
    },
  };
}
