import { canConnect } from './fixtures/tcp-proxy.js';

/** The Redis the tests use: REDIS_URL, as the app reads it. */
const url = new URL(process.env.REDIS_URL || 'redis://127.0.0.1:6379');
export const cacheServer = { host: url.hostname, port: Number(url.port || 6379) };

/** The app's environment for a Redis at host:port (e.g. a proxy in front of the real one). */
export const cacheEnvAt = (host: string, port: number) => ({
  REDIS_URL: `redis://${host}:${port}`,
});

/** vitest globalSetup: a stopped Redis is one clear error, not every suite failing its own way. */
export default async function requireCacheServer() {
  const { host, port } = cacheServer;
  if (!(await canConnect(host, port))) {
    throw new Error(
      `The tests need Redis at ${host}:${port}: start it (docker compose up -d redis) or set REDIS_URL.`,
    );
  }
}
