import { once } from 'node:events';
import { connect } from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChoiceKind, valuesOf } from '../../src/catalogue.js';
import { runCli, scratchDir } from '../helpers.js';
import { nodeOfProject, projectEnv } from '../project-node.js';
import { npmRun, startServer } from './project.js';

/** The choices the proof needs: a database and a cache that every instance shares. */
const needed: [ChoiceKind, string][] = [
  ['db', 'postgres'],
  ['cache', 'redis'],
];
const servers = [
  { name: 'PostgreSQL', port: 5432 },
  { name: 'Redis', port: 6379 },
];

async function reachable(port: number): Promise<boolean> {
  const socket = connect({ host: '127.0.0.1', port, timeout: 2000 });
  const up = await Promise.race([
    once(socket, 'connect').then(() => true),
    once(socket, 'error').then(() => false),
    once(socket, 'timeout').then(() => false),
  ]);
  socket.destroy();
  return up;
}

/** Why the proof cannot run here, or '' when it can. */
async function skipReason(): Promise<string> {
  const missing = needed.filter(([kind, value]) => !valuesOf(kind).includes(value));
  if (missing.length > 0) {
    return `src/catalogue.ts does not offer ${missing.map(([kind, value]) => `--${kind} ${value}`).join(' and ')} yet`;
  }
  for (const server of servers) {
    if (await reachable(server.port)) continue;
    const reason = `${server.name} is not reachable on 127.0.0.1:${server.port}`;
    if (process.env.SOUND_REQUIRE_SERVICES) throw new Error(`${reason}, and SOUND_REQUIRE_SERVICES requires it`);
    return `${reason} (.ci/services.sh starts it)`;
  }
  return '';
}

const reason = await skipReason();
const json = { 'content-type': 'application/json' };

type Server = Awaited<ReturnType<typeof startServer>>;

async function stop(server: Server): Promise<number | null> {
  if (server.child.exitCode !== null) return server.child.exitCode;
  server.child.kill('SIGTERM');
  const [code] = await once(server.child, 'exit');
  return code as number | null;
}

/** The generated tests that race requests against each other on purpose. */
const raceTests = ['test/refresh-races.test.ts', 'test/stale-cache.test.ts'];

// Horizontal scale, shown with two instances of one project on two ports, sharing one PostgreSQL
// database and one Redis, as two replicas behind a load balancer would.
describe.skipIf(reason)(
  `two instances of a --db postgres --cache redis project${reason ? ` (skipped: ${reason})` : ''}`,
  () => {
    const cwd = scratchDir('csb-e2e-scale-');
    const dir = path.join(cwd, 'scale-api');
    const run = `${process.pid}_${Date.now()}`;
    const database = `scale_${run}`;
    const admin = 'postgres://postgres@127.0.0.1:5432/test';
    let databaseCreated = false;
    const shared = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'a-scale-proof-secret-of-at-least-32-characters',
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database}`,
      REDIS_URL: 'redis://127.0.0.1:6379',
    };
    /** Runs one SQL statement on the server with the project's own driver. */
    const sql = (statement: string) =>
      execa(
        'node',
        [
          '--input-type=module',
          '-e',
          `import pg from 'pg';
         const client = new pg.Client(${JSON.stringify(admin)});
         await client.connect();
         await client.query(${JSON.stringify(statement)});
         await client.end();`,
        ],
        { cwd: dir, env: projectEnv() },
      );

    beforeAll(async () => {
      const result = await runCli(
        [
          'scale-api',
          '--yes',
          '--no-git',
          '--db',
          'postgres',
          '--cache',
          'redis',
          '--deploy',
          'docker,kubernetes',
          '--ci',
          'none',
        ],
        { cwd, all: true, env: projectEnv() },
      );
      expect(result.exitCode, result.all).toBe(0);
      process.stderr.write(`e2e: scale-api runs on Node ${await nodeOfProject(dir)}\n`);
      await npmRun(dir, 'build');
      await sql(`CREATE DATABASE ${database}`);
      databaseCreated = true;
      await npmRun(dir, 'db:migrate', shared);
    });

    afterAll(async () => {
      if (databaseCreated) await sql(`DROP DATABASE ${database} WITH (FORCE)`);
    });

    /** Two instances with the same settings; `prefix` keeps their Redis keys apart from other runs. */
    async function pair(prefix: string, env: Record<string, string> = {}): Promise<[Server, Server]> {
      const settings = { ...shared, REDIS_KEY_PREFIX: `e2e:${run}:${prefix}:`, ...env };
      const servers = [await startServer(dir, settings), await startServer(dir, settings)] as [Server, Server];
      for (const server of servers) {
        const ready = await fetch(`${server.url}/health/ready`);
        expect(await ready.json()).toMatchObject({ status: 'ok', checks: { database: 'ok', cache: 'ok' } });
      }
      return servers;
    }

    async function signIn(url: string, email: string) {
      const credentials = JSON.stringify({ email, password: 'a long enough password' });
      expect(
        (await fetch(`${url}/v1/auth/register`, { method: 'POST', headers: json, body: credentials })).status,
      ).toBe(202);
      const login = await fetch(`${url}/v1/auth/login`, { method: 'POST', headers: json, body: credentials });
      expect(login.status).toBe(200);
      return (await login.json()) as { accessToken: string; refreshToken: string };
    }

    it('(a) accepts on one instance the tokens the other issued, and shares refresh-token revocation', async () => {
      const [a, b] = await pair('tokens', { RATE_LIMIT_MAX: '1000' });
      try {
        const tokens = await signIn(a.url, 'tokens@example.com');
        const items = await fetch(`${b.url}/v1/items`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
        expect(items.status).toBe(200);

        const refresh = (url: string) =>
          fetch(`${url}/v1/auth/refresh`, {
            method: 'POST',
            headers: json,
            body: JSON.stringify({ refreshToken: tokens.refreshToken }),
          });
        expect((await refresh(b.url)).status).toBe(200);
        // The token b rotated is spent for a too: its reuse is refused there.
        expect((await refresh(a.url)).status).toBe(401);
        expect([await stop(a), await stop(b)], `${a.output()}\n${b.output()}`).toEqual([0, 0]);
      } finally {
        await Promise.all([stop(a), stop(b)]);
      }
    });

    it('(b) counts one rate limit across both instances', async () => {
      const [a, b] = await pair('limit', { RATE_LIMIT_MAX: '6' });
      try {
        // Signed in through the auth routes, which count a limit of their own.
        const { accessToken } = await signIn(a.url, 'limit@example.com');
        const headers = { authorization: `Bearer ${accessToken}` };
        const remaining: (string | null)[] = [];
        for (let i = 0; i < 6; i++) {
          const response = await fetch(`${[a, b][i % 2]?.url}/v1/items`, { headers });
          expect(response.status).toBe(200);
          remaining.push(response.headers.get('x-ratelimit-remaining'));
        }
        // Per-process counting would read 5, 5, 4, 4, 3, 3.
        expect(remaining).toEqual(['5', '4', '3', '2', '1', '0']);
        for (const server of [a, b]) {
          const limited = await fetch(`${server.url}/v1/items`, { headers });
          expect(limited.status).toBe(429);
          expect(limited.headers.get('retry-after')).toBeTruthy();
        }
        expect([await stop(a), await stop(b)], `${a.output()}\n${b.output()}`).toEqual([0, 0]);
      } finally {
        await Promise.all([stop(a), stop(b)]);
      }
    });

    it('(c) reads through one instance what was written through the other, never a stale cached copy', async () => {
      const [a, b] = await pair('cache', { RATE_LIMIT_MAX: '1000' });
      try {
        const { accessToken } = await signIn(a.url, 'cache@example.com');
        const headers = { ...json, authorization: `Bearer ${accessToken}` };
        const hits = async (url: string) =>
          Number(/^cache_hits_total (\d+)$/m.exec(await (await fetch(`${url}/metrics`)).text())?.[1]);
        const read = async (url: string, id: string) => fetch(`${url}/v1/items/${id}`, { headers });

        const created = await fetch(`${a.url}/v1/items`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ name: 'v1' }),
        });
        expect(created.status).toBe(201);
        const { id } = (await created.json()) as { id: string };
        expect(await (await read(b.url, id)).json()).toMatchObject({ name: 'v1' });
        // The entry b stored is what a now serves: the cache is in use, and shared.
        const before = await hits(a.url);
        expect(await (await read(a.url, id)).json()).toMatchObject({ name: 'v1' });
        expect(await hits(a.url)).toBe(before + 1);

        for (const [writer, reader, name] of [
          [a, b, 'v2'],
          [b, a, 'v3'],
        ] as const) {
          const patched = await fetch(`${writer.url}/v1/items/${id}`, {
            method: 'PATCH',
            headers,
            body: JSON.stringify({ name }),
          });
          expect(patched.status).toBe(200);
          expect(await (await read(reader.url, id)).json()).toMatchObject({ name });
        }
        const removed = await fetch(`${a.url}/v1/items/${id}`, {
          method: 'DELETE',
          headers: { authorization: headers.authorization },
        });
        expect(removed.status).toBe(204);
        expect((await read(b.url, id)).status).toBe(404);

        // A first read through a racing a write through b, as live traffic has them: whichever
        // finishes first, neither instance may serve the old row afterwards. (The guard per
        // process that loads had before left the old row cached by round 6 of one run.)
        const create = async (name: string) => {
          const response = await fetch(`${a.url}/v1/items`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ name }),
          });
          return ((await response.json()) as { id: string }).id;
        };
        for (let round = 0; round < 30; round++) {
          const renamed = await create(`race ${round}`);
          const deleted = await create(`race ${round} deleted`);
          const [, patched, , removed] = await Promise.all([
            read(a.url, renamed),
            fetch(`${b.url}/v1/items/${renamed}`, {
              method: 'PATCH',
              headers,
              body: JSON.stringify({ name: `after ${round}` }),
            }),
            read(a.url, deleted),
            fetch(`${b.url}/v1/items/${deleted}`, {
              method: 'DELETE',
              headers: { authorization: headers.authorization },
            }),
          ]);
          expect([patched.status, removed.status]).toEqual([200, 204]);
          for (const server of [a, b]) {
            const name = `after ${round}`;
            expect(await (await read(server.url, renamed)).json(), `round ${round}`).toMatchObject({ name });
            expect((await read(server.url, deleted)).status, `round ${round}`).toBe(404);
          }
        }
        expect([await stop(a), await stop(b)], `${a.output()}\n${b.output()}`).toEqual([0, 0]);
      } finally {
        await Promise.all([stop(a), stop(b)]);
      }
    });

    it('(d) loses no request when one instance gets SIGTERM under load: it finishes what it took, the other serves the rest', async () => {
      const [a, b] = await pair('drain', { RATE_LIMIT_MAX: '1000000' });
      try {
        const { accessToken } = await signIn(b.url, 'drain@example.com');
        const headers = { ...json, authorization: `Bearer ${accessToken}` };
        const seed = await fetch(`${b.url}/v1/items`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ name: 'seed' }),
        });
        const { id } = (await seed.json()) as { id: string };

        // A load balancer's part: round robin over the instances it believes up; a request an
        // instance refused without handling it (no connection, or 503 while closing) goes to the
        // other, and that instance gets no more. Anything else is the answer.
        const up = new Set([a, b]);
        const stats = { sent: 0, retried: 0, servedByA: 0, servedByAAfterSigterm: 0 };
        let sigtermSent = false;
        let turn = 0;
        const send = async (request: (url: string) => Promise<Response>): Promise<Response> => {
          const order = [...up];
          const first = order[turn++ % order.length] as Server;
          const other = first === a ? b : a;
          try {
            const response = await request(first.url);
            if (response.status !== 503) {
              if (first === a) {
                stats.servedByA++;
                if (sigtermSent) stats.servedByAAfterSigterm++;
              }
              return response;
            }
            await response.arrayBuffer();
          } catch (error) {
            if (first !== a || !sigtermSent) throw error;
          }
          up.delete(first);
          stats.retried++;
          return request(other.url);
        };

        const failures: string[] = [];
        const created: string[] = [];
        const deadline = Date.now() + 3000;
        const worker = async (n: number) => {
          for (let i = 0; Date.now() < deadline; i++) {
            stats.sent++;
            const name = `load ${n}-${i}`;
            const write = i % 4 === 0;
            const response = await send((url) =>
              write
                ? fetch(`${url}/v1/items`, { method: 'POST', headers, body: JSON.stringify({ name }) })
                : fetch(i % 2 ? `${url}/v1/items/${id}` : `${url}/v1/items?limit=20`, { headers }),
            ).catch((error: Error) => error);
            if (response instanceof Error) {
              failures.push(`${name}: ${response.message} ${String((response as { cause?: unknown }).cause)}`);
              continue;
            }
            // A 409 would mean that a refused write had been handled after all.
            if (response.status !== (write ? 201 : 200)) failures.push(`${name}: ${response.status}`);
            else if (write) created.push(name);
            await response.arrayBuffer();
          }
        };
        const load = Promise.all(Array.from({ length: 8 }, (_, n) => worker(n)));
        await new Promise((resolve) => setTimeout(resolve, 1000));
        sigtermSent = true;
        a.child.kill('SIGTERM');
        const [code] = await once(a.child, 'exit');
        await load;

        console.log(`scale proof (d): ${JSON.stringify(stats)}, writes ${created.length}`);
        expect(code, a.output()).toBe(0);
        expect(failures).toEqual([]);
        expect(stats.sent).toBeGreaterThan(100);
        expect(stats.servedByA).toBeGreaterThan(0);
        // Every acknowledged write is there exactly once, whichever instance took it.
        const names = new Set<string>();
        let cursor: string | null = null;
        do {
          const page = (await (
            await fetch(`${b.url}/v1/items?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
              headers,
            })
          ).json()) as { items: { name: string }[]; nextCursor: string | null };
          for (const item of page.items) names.add(item.name);
          cursor = page.nextCursor;
        } while (cursor);
        expect([...names].filter((name) => name.startsWith('load ')).sort()).toEqual([...created].sort());
        expect([await stop(a), await stop(b)], `${a.output()}\n${b.output()}`).toEqual([0, 0]);
      } finally {
        await Promise.all([stop(a), stop(b)]);
      }
    });

    // The project's own race tests, which pass or fail on a timing, run several times in a row
    // against the real servers: a race that loses one run in five still fails here.
    it('(e) passes its concurrency tests five runs in a row', async () => {
      for (let run = 1; run <= 5; run++) {
        const output = await npmRun(
          dir,
          'test',
          {
            SOUND_REQUIRE_SERVICES: '1',
            DATABASE_URL: admin,
            REDIS_URL: shared.REDIS_URL,
          },
          raceTests,
        );
        expect(output, `run ${run}`).toMatch(/^\s*Tests\s+\d+ passed \(\d+\)\s*$/m);
        for (const file of raceTests) expect(output, `run ${run}`).toContain(file);
      }
    });
  },
);
