import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { TestProject } from 'vitest/node';
import { canConnect } from './fixtures/tcp-proxy.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The start of every key this test run writes (see the globalSetup below). */
    cacheKeyPrefix: string;
  }
}

/** The Memcached the tests use: the first of MEMCACHED_SERVERS, as the app reads it. */
const [first = '127.0.0.1:11211'] = (process.env.MEMCACHED_SERVERS || '127.0.0.1:11211').split(',');
const [host = '127.0.0.1', port = '11211'] = first.split(':');
export const cacheServer = { host, port: Number(port) };

/** 48 random bits in 12 characters, so that the prefixes stay within MEMCACHED_KEY_PREFIX's 100. */
const randomId = () => randomBytes(6).toString('hex');

/** The app's environment for a Memcached at host:port (e.g. a proxy in front of the real one). */
export const cacheEnvAt = (host: string, port: number) => ({
  MEMCACHED_SERVERS: `${host}:${port}`,
});

/**
 * The cache settings of an app or a server a test starts: the tests' Memcached, and a key
 * prefix of its own under this run's, so that it shares no entry with another app, another run
 * or a dev server on the same Memcached.
 */
export const cacheEnv = () => ({
  MEMCACHED_SERVERS: process.env.MEMCACHED_SERVERS ?? '',
  MEMCACHED_KEY_PREFIX: `${inject('cacheKeyPrefix')}${randomId()}:`,
});

/**
 * vitest globalSetup: a stopped Memcached is one clear error, not every suite failing its own
 * way. The run gets a key prefix of its own (below MEMCACHED_KEY_PREFIX when the environment
 * sets one). Memcached cannot list keys, so nothing deletes them at the end: every entry the
 * tests write has a TTL (CACHE_TTL_SECONDS, 60 s ± 10%, or less) and is gone within 70 s.
 */
export default async function setup(project: TestProject) {
  const { host, port } = cacheServer;
  if (!(await canConnect(host, port))) {
    throw new Error(
      `The tests need Memcached at ${host}:${port}: start it (docker compose up -d memcached) or set MEMCACHED_SERVERS.`,
    );
  }
  project.provide('cacheKeyPrefix', `${process.env.MEMCACHED_KEY_PREFIX ?? ''}test:${randomId()}:`);
}
