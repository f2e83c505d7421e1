import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import type { TestProject } from 'vitest/node';
import { canConnect } from './fixtures/tcp-proxy.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The start of every key this test run writes (see the globalSetup below). */
    cacheKeyPrefix: string;
  }
}

/** The Redis the tests use: REDIS_URL, as the app reads it. */
const url = new URL(process.env.REDIS_URL || 'redis://127.0.0.1:6379');
export const cacheServer = { host: url.hostname, port: Number(url.port || 6379) };

/** 48 random bits in 12 characters, so that the prefixes stay within REDIS_KEY_PREFIX's 100. */
const randomId = () => randomBytes(6).toString('hex');

/** The app's environment for a Redis at host:port (e.g. a proxy in front of the real one). */
export const cacheEnvAt = (host: string, port: number) => ({
  REDIS_URL: `redis://${host}:${port}`,
});

/**
 * The cache settings of an app or a server a test starts: the tests' Redis, and a key prefix
 * of its own under this run's, so that it shares no entry or rate-limit count with another app,
 * another run or a dev server on the same Redis.
 */
export const cacheEnv = () => ({
  REDIS_URL: process.env.REDIS_URL ?? '',
  REDIS_KEY_PREFIX: `${inject('cacheKeyPrefix')}${randomId()}:`,
});

/** The keys that start with `prefix`, a batch at a time (SCAN, which never blocks Redis as KEYS does). */
export function keysUnder(redis: Redis, prefix: string): AsyncIterable<string[]> {
  const match = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  return redis.scanStream({ match, count: 1000 });
}

/** Deletes every key that starts with `prefix`; returns how many there were. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  for await (const keys of keysUnder(redis, prefix)) {
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  }
  return deleted;
}

/**
 * vitest globalSetup: a stopped Redis is one clear error, not every suite failing its own way.
 * The run gets a key prefix of its own (below REDIS_KEY_PREFIX when the environment sets one),
 * and its keys are deleted when it ends.
 */
export default async function setup(project: TestProject) {
  const { host, port } = cacheServer;
  if (!(await canConnect(host, port))) {
    throw new Error(
      `The tests need Redis at ${host}:${port}: start it (docker compose up -d redis) or set REDIS_URL.`,
    );
  }
  const prefix = `${process.env.REDIS_KEY_PREFIX ?? ''}test:${randomId()}:`;
  project.provide('cacheKeyPrefix', prefix);
  return async function deleteRunKeys() {
    const redis = new Redis(url.href, { maxRetriesPerRequest: 1 });
    try {
      await deleteKeys(redis, prefix);
    } finally {
      await redis.quit();
    }
  };
}
