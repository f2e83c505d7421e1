import { once } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../helpers.js';
import { nodeOfProject, projectEnv } from '../project-node.js';
import { npmInstall, npmRun, startServer } from './project.js';
import { needsServer } from './services.js';

const redis = await needsServer('Redis', '127.0.0.1', 6379);

/**
 * Generates and installs a project, and checks that it passes its own typecheck, lint and build
 * (its tests run once, below, under a key prefix of the run's own). With `adds`, the project is
 * generated with `args`, grown with each `add`, then installed.
 */
function generatedProject(name: string, args: string[], adds: string[][] = []) {
  const dir = path.join(scratchDir(`csb-e2e-${name}-`), name);
  beforeAll(async () => {
    const install = adds.length === 0 ? [] : ['--no-install'];
    const result = await runCli([dir, '--yes', '--no-git', ...install, ...args], { all: true, env: projectEnv() });
    expect(result.exitCode, result.all).toBe(0);
    for (const change of adds) {
      const added = await runCli(['add', ...change, '--cwd', dir], { all: true });
      expect(added.exitCode, added.all).toBe(0);
    }
    if (adds.length > 0) {
      await npmInstall(dir);
    }
  });
  it('passes its own typecheck, lint and build', async () => {
    process.stderr.write(`e2e: ${name} runs on Node ${await nodeOfProject(dir)}\n`);
    await npmRun(dir, 'typecheck');
    await npmRun(dir, 'lint');
    await npmRun(dir, 'build');
  });
  return dir;
}

/** Fails unless every test of the project's run passed, each added resource's among them. */
function expectAllPassed(tests: string, resources: string[]) {
  // Vitest's summary, e.g. `Tests  101 passed (101)`: a skipped or failed test would be named in
  // it. (A log line the tests print may say "failed" of a request they made fail on purpose.)
  expect(tests).toMatch(/^\s*Tests\s+\d+ passed \(\d+\)\s*$/m);
  expect(tests).toMatch(/^\s*Test Files\s+\d+ passed \(\d+\)\s*$/m);
  // Each added resource's own tests ran (CRUD, owners, and its routes in /docs/json).
  for (const resource of resources) expect(tests).toContain(`test/${resource}.test.ts`);
}

/** What the test below asks of an ioredis client. */
interface Scanner {
  scan(cursor: string, match: 'MATCH', pattern: string, count: 'COUNT', size: number): Promise<[string, string[]]>;
  quit(): Promise<unknown>;
}

const json = { 'content-type': 'application/json' };
const post = (url: string, body: unknown, headers = {}) =>
  fetch(url, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(body) });
const counter = async (base: string, name: string) => {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
};

// Defaults but the cache: JWT, Prometheus, Docker, GitHub Actions. Grown the second way users
// use the tool: generated with the default memory cache, then `add cache=redis` (which test/cli
// shows gives the same files as --cache redis) and `add resource orders`.
describe.runIf(redis.run)(`create-sound-backend, add cache=redis, add resource orders${redis.note}`, () => {
  const dir = generatedProject('redis-api', [], [['cache=redis'], ['resource', 'orders']]);

  it("passes its own tests (against the real server), which keep their keys under a prefix of the run's own, none under a dev server's, and delete them", async () => {
    // The project's own ioredis (the tool has no Redis client): SCAN, as redis-cli --scan does.
    const ioredis = createRequire(path.join(dir, 'package.json')).resolve('ioredis');
    const { Redis } = (await import(pathToFileURL(ioredis).href)) as { Redis: new (url: string) => Scanner };
    const client = new Redis('redis://127.0.0.1:6379');
    const count = async (prefix: string) => {
      let [cursor, found] = ['0', 0];
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        [cursor, found] = [next, found + keys.length];
      } while (cursor !== '0');
      return found;
    };
    // The run nests its prefix below REDIS_KEY_PREFIX when the environment sets one.
    const prefix = `e2e:${Date.now()}:${process.pid}:`;
    let most = 0;
    let running = true;
    const watching = (async () => {
      while (running) {
        most = Math.max(most, await count(prefix));
        await sleep(200);
      }
    })();
    try {
      // The project's one whole run in this file: its tests passing is proven here too.
      expectAllPassed(await npmRun(dir, 'test', { REDIS_KEY_PREFIX: prefix }), ['orders']);
    } finally {
      running = false;
      await watching;
    }
    try {
      expect(most).toBeGreaterThan(0);
      expect(await count(prefix)).toBe(0);
      // `redis-api:`, the default prefix, is a dev server's: no test app or server wrote there.
      expect(await count('redis-api:')).toBe(0);
    } finally {
      await client.quit();
    }
  });

  it('runs as two instances on two ports sharing one Redis: one rate limit, one cache', async () => {
    const env = {
      NODE_ENV: 'production',
      JWT_SECRET: 'an-end-to-end-secret-of-at-least-32-characters',
      DATABASE_URL: `file:${path.join(dir, 'data/shared.db')}`,
      // Unique per run, so that no earlier run's keys or counts are seen.
      REDIS_KEY_PREFIX: `e2e:${Date.now()}:${process.pid}:`,
      RATE_LIMIT_MAX: '6',
    };
    await npmRun(dir, 'db:migrate', env);
    const a = await startServer(dir, env);
    const b = await startServer(dir, env);
    try {
      for (const server of [a, b]) {
        const ready = await fetch(`${server.url}/health/ready`);
        expect(await ready.json()).toEqual({ status: 'ok', checks: { database: 'ok', cache: 'ok' } });
      }
      // The added resource is served with no hand edit (the docs are not rate-limited).
      const document = (await (await fetch(`${a.url}/docs/json`)).json()) as { paths: object };
      expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/orders', '/v1/orders/{id}']));
      const credentials = { email: 'e2e@example.com', password: 'a long enough password' };
      expect((await post(`${a.url}/v1/auth/register`, credentials)).status).toBe(202);
      const { accessToken } = (await (await post(`${b.url}/v1/auth/login`, credentials)).json()) as {
        accessToken: string;
      };
      const headers = { authorization: `Bearer ${accessToken}` };

      const created = await post(`${a.url}/v1/items`, { name: 'shared' }, headers);
      const { id } = (await created.json()) as { id: string };
      const read = (base: string) => fetch(`${base}/v1/items/${id}`, { headers });
      expect((await read(a.url)).status).toBe(200);
      // b never read it: a hit on b is the entry a stored.
      const bHits = await counter(b.url, 'cache_hits_total');
      expect(await (await read(b.url)).json()).toMatchObject({ name: 'shared' });
      expect(await counter(b.url, 'cache_hits_total')).toBe(bHits + 1);

      const patch = await fetch(`${b.url}/v1/items/${id}`, {
        method: 'PATCH',
        headers: { ...json, ...headers },
        body: JSON.stringify({ name: 'renamed through b' }),
      });
      expect(patch.status).toBe(200);
      const aMisses = await counter(a.url, 'cache_misses_total');
      expect(await (await read(a.url)).json()).toMatchObject({ name: 'renamed through b' });
      expect(await counter(a.url, 'cache_misses_total')).toBe(aMisses + 1);

      // Five item requests so far (create, read a, read b, patch, read a): the sixth passes, the seventh not.
      expect((await fetch(`${b.url}/v1/items`, { headers })).status).toBe(200);
      const limited = await fetch(`${a.url}/v1/items`, { headers });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBeTruthy();
    } finally {
      for (const server of [a, b]) {
        server.child.kill('SIGTERM');
        const [code] = await once(server.child, 'exit');
        expect(code, server.output()).toBe(0);
      }
    }
  });
});
