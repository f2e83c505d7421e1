import {
  ConsecutiveBreaker,
  circuitBreaker,
  handleAll,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';
import type { FastifyBaseLogger } from 'fastify';
import type { CacheStore } from './cache.js';

export interface ResilienceOptions {
  /** The longest a request waits for one cache call before it goes to the database instead. */
  timeoutMs: number;
  /** Consecutive failures that open the circuit: the cache is then skipped without waiting. */
  failuresToOpen: number;
  /** How long an open circuit skips the cache before one call probes it again. */
  probeAfterMs: number;
  log: FastifyBaseLogger;
  /** Called for every call that failed, timed out or was skipped by the open circuit. */
  onError?: () => void;
}

/** Deletes kept for replay while the cache is down; beyond this the oldest end with their TTL. */
const MAX_UNSENT_DELETES = 10_000;

/**
 * A networked cache that can never take the API down. Every call has a timeout and goes
 * through a circuit breaker; a failed `get` is a miss (the caller reads the database), a failed
 * `set` or `fill` is dropped, a failed `reserve` reserves nothing (the load stores nothing),
 * and a failed `delete` is kept and sent again once the cache answers, so a write made during
 * an outage cannot leave a stale entry behind. An outage is logged once when it starts and once
 * when it ends, not per request.
 */
export function resilientStore(store: CacheStore, options: ResilienceOptions): CacheStore {
  const policy = wrap(
    circuitBreaker(handleAll, {
      halfOpenAfter: options.probeAfterMs,
      breaker: new ConsecutiveBreaker(options.failuresToOpen),
    }),
    // Aggressive: stop waiting at the deadline even though the client call cannot be cancelled.
    timeout(options.timeoutMs, TimeoutStrategy.Aggressive),
  );
  const unsentDeletes = new Set<string>();
  let down = false;

  async function attempt<T>(
    operation: () => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false }> {
    try {
      const value = await policy.execute(operation);
      if (down) {
        down = false;
        options.log.info('cache answers again: reads use it again');
        void sendUnsentDeletes();
      }
      return { ok: true, value };
    } catch (error) {
      options.onError?.();
      if (!down) {
        down = true;
        options.log.warn(
          { err: error },
          'cache unavailable: reads go to the database until it answers',
        );
      }
      return { ok: false };
    }
  }

  async function remove(key: string): Promise<boolean> {
    const result = await attempt(() => store.delete(key));
    if (result.ok) {
      unsentDeletes.delete(key);
      return true;
    }
    unsentDeletes.delete(key);
    unsentDeletes.add(key);
    if (unsentDeletes.size > MAX_UNSENT_DELETES) {
      unsentDeletes.delete(unsentDeletes.values().next().value as string);
    }
    return false;
  }

  async function sendUnsentDeletes() {
    for (const key of [...unsentDeletes]) {
      if (!(await remove(key))) return;
    }
  }

  return {
    async get(key) {
      // Its entry may predate a write made while the cache was down: drop it, read the database.
      if (unsentDeletes.has(key)) {
        await remove(key);
        return undefined;
      }
      const result = await attempt(() => store.get(key));
      return result.ok ? result.value : undefined;
    },
    async set(key, value, ttlSeconds) {
      await attempt(() => store.set(key, value, ttlSeconds));
    },
    async delete(key) {
      await remove(key);
    },
    async reserve(key, token, ttlSeconds) {
      const result = await attempt(() => store.reserve(key, token, ttlSeconds));
      return result.ok && result.value;
    },
    async fill(key, token, value) {
      await attempt(() => store.fill(key, token, value));
    },
  };
}
