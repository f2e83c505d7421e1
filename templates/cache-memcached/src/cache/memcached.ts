import { Client } from 'memjs';
import type { CacheStore } from './cache.js';

/**
 * A memjs client (binary protocol) that fails fast: no retries, a short timeout per call, and
 * its own logging off (the cache logs an outage once, in resilient.ts). A connection that
 * failed is made again on the next call.
 */
export function connectMemcached(servers: string, timeoutMs: number): Client {
  return Client.create(servers, {
    retries: 0,
    failover: false,
    timeout: timeoutMs / 1000,
    keepAlive: true,
    logger: { log: () => {} },
  });
}

/**
 * Values are stored as JSON strings under `keyPrefix` (memjs has no prefix of its own), so
 * services and test runs can share a server; Memcached counts TTLs in whole seconds.
 */
export function createMemcachedStore(client: Client, keyPrefix: string): CacheStore {
  return {
    async get(key) {
      const { value } = await client.get(`${keyPrefix}${key}`);
      return value === null ? undefined : JSON.parse(value.toString('utf8'));
    },
    async set(key, value, ttlSeconds) {
      const expires = Math.max(1, Math.round(ttlSeconds));
      await client.set(`${keyPrefix}${key}`, JSON.stringify(value), { expires });
    },
    async delete(key) {
      await client.delete(`${keyPrefix}${key}`);
    },
  };
}
