import { canConnect } from './fixtures/tcp-proxy.js';

/** The Memcached the tests use: the first of MEMCACHED_SERVERS, as the app reads it. */
const [first = '127.0.0.1:11211'] = (process.env.MEMCACHED_SERVERS || '127.0.0.1:11211').split(',');
const [host = '127.0.0.1', port = '11211'] = first.split(':');
export const cacheServer = { host, port: Number(port) };

/** The app's environment for a Memcached at host:port (e.g. a proxy in front of the real one). */
export const cacheEnvAt = (host: string, port: number) => ({
  MEMCACHED_SERVERS: `${host}:${port}`,
});

/** vitest globalSetup: a stopped Memcached is one clear error, not every suite failing its own way. */
export default async function requireCacheServer() {
  const { host, port } = cacheServer;
  if (!(await canConnect(host, port))) {
    throw new Error(
      `The tests need Memcached at ${host}:${port}: start it (docker compose up -d memcached) or set MEMCACHED_SERVERS.`,
    );
  }
}
