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
 *
 * memjs has no compare-and-set, so a load fills its reservation by appending to it, which
 * Memcached refuses once the key is gone. An entry is lines, each ending in a line break (JSON
 * text has none): `=<json>` for a value that `set` stored, or `?<token>` for a reservation,
 * then `<token>=<json>` once its load fills it. A line from another load's late fill is ignored.
 */
export function createMemcachedStore(client: Client, keyPrefix: string): CacheStore {
  const expires = (ttlSeconds: number) => Math.max(1, Math.round(ttlSeconds));
  return {
    async get(key) {
      const { value } = await client.get(`${keyPrefix}${key}`);
      if (value === null) return undefined;
      const [head = '', ...fills] = value.toString('utf8').split('\n');
      if (head.startsWith('=')) return JSON.parse(head.slice(1));
      const token = head.slice(1);
      const filled = fills.find((line) => line.startsWith(`${token}=`));
      return filled === undefined ? undefined : JSON.parse(filled.slice(token.length + 1));
    },
    async set(key, value, ttlSeconds) {
      await client.set(`${keyPrefix}${key}`, `=${JSON.stringify(value)}\n`, {
        expires: expires(ttlSeconds),
      });
    },
    async delete(key) {
      await client.delete(`${keyPrefix}${key}`);
    },
    async reserve(key, token, ttlSeconds) {
      return client.add(`${keyPrefix}${key}`, `?${token}\n`, { expires: expires(ttlSeconds) });
    },
    async fill(key, token, value) {
      try {
        await client.append(`${keyPrefix}${key}`, `${token}=${JSON.stringify(value)}\n`);
      } catch (error) {
        // The key is gone (a write deleted it): memjs reports the refused append as an error.
        if (!(error instanceof Error && error.message.endsWith('Item not stored'))) throw error;
      }
    },
  };
}
