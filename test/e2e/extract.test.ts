import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../helpers.js';
import { projectEnv } from '../project-node.js';
import { npmInstall, npmRun, otlpReceiver, type Span, startServer, unreachable } from './project.js';

// Issue 24's proof. A PostgreSQL + Redis monolith with jwt, Prometheus and OpenTelemetry grows
// customers and orders (orders referencing customers); `extract orders` moves orders into a
// service with a database of its own. Both are installed, migrated and started, and the monolith
// serves /v1/orders through the service.

const postgres = { name: 'PostgreSQL', port: 5432, url: 'postgres://postgres@127.0.0.1:5432/test' };
const redis = { name: 'Redis', port: 6379, url: 'redis://127.0.0.1:6379' };
const reason = (await unreachable(postgres)) ?? (await unreachable(redis));
const json = { 'content-type': 'application/json' };

/** An OTLP span as the receiver got it, with what links it to its parent. */
type LinkedSpan = Span & { parentSpanId?: string; kind?: number };
const SPAN_KIND_CLIENT = 3;

async function stop(server: { child: ChildProcess }): Promise<void> {
  if (server.child.exitCode !== null) return;
  server.child.kill('SIGTERM');
  await once(server.child, 'exit');
}

describe.skipIf(reason)(
  `extract orders from a postgres + redis monolith${reason ? ` (skipped: ${reason})` : ''}`,
  () => {
    const cwd = scratchDir('csb-e2e-extract-');
    const monolith = path.join(cwd, 'shop');
    const service = path.join(cwd, 'orders-service');
    const run = `${process.pid}_${Date.now()}`;
    const databases = { monolith: `shop_${run}`, service: `orders_${run}` };
    const created: string[] = [];
    const settings = (database: string) => ({
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      // The same secret in both: the service verifies the tokens the monolith signs.
      JWT_SECRET: 'an-extract-proof-secret-of-at-least-32-characters',
      RATE_LIMIT_MAX: '1000',
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database}`,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `e2e:${run}:${database}:`,
    });
    /** Runs one SQL statement with the monolith's driver on `database`; returns its rows. */
    const sql = async (statement: string, database = 'test') => {
      const result = await execa(
        'node',
        [
          '--input-type=module',
          '-e',
          `import pg from 'pg';
         const client = new pg.Client(${JSON.stringify(`postgres://postgres@127.0.0.1:5432/${database}`)});
         await client.connect();
         const result = await client.query(${JSON.stringify(statement)});
         process.stdout.write(JSON.stringify(result.rows));
         await client.end();`,
        ],
        { cwd: monolith, env: projectEnv() },
      );
      return JSON.parse(result.stdout || '[]') as Record<string, unknown>[];
    };
    const cli = async (args: string[], at: string) => {
      const result = await runCli(args, { cwd: at, all: true, env: projectEnv() });
      expect(result.exitCode, result.all).toBe(0);
    };

    beforeAll(async () => {
      // Created and grown as a user would, installed, so drizzle-kit writes each resource's migration.
      await cli(
        [
          'shop',
          '--yes',
          '--no-git',
          '--db',
          'postgres',
          '--cache',
          'redis',
          '--auth',
          'jwt',
          '--monitoring',
          'prometheus,opentelemetry',
          '--ci',
          'none',
        ],
        cwd,
      );
      await cli(['add', 'resource', 'customers', 'name:string'], monolith);
      await cli(['add', 'resource', 'orders', 'customer:references', 'total:integer'], monolith);
      await sql(`CREATE DATABASE ${databases.monolith}`);
      created.push(databases.monolith);
      // The monolith had its orders table before the extract: its next migration drops it.
      await npmRun(monolith, 'db:migrate', settings(databases.monolith));
      await cli(['extract', 'orders', '--to', service], monolith);
      await npmRun(monolith, 'build');
      await npmRun(monolith, 'db:migrate', settings(databases.monolith));
      // The steps extract prints for the service: install, write its first migration, migrate.
      await npmInstall(service);
      await npmRun(service, 'db:generate', settings(databases.service));
      await npmRun(service, 'build');
      await sql(`CREATE DATABASE ${databases.service}`);
      created.push(databases.service);
      await npmRun(service, 'db:migrate', settings(databases.service));
    });

    afterAll(async () => {
      for (const database of created) await sql(`DROP DATABASE ${database} WITH (FORCE)`);
    });

    it('serves orders through the service, answers 503 while it is down, and traces across both', async () => {
      const collector = await otlpReceiver();
      const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '100' };
      let orders = await startServer(service, { ...settings(databases.service), ...tracing });
      const shop = await startServer(monolith, {
        ...settings(databases.monolith),
        ...tracing,
        ORDERS_SERVICE_URL: orders.url,
      });
      try {
        const signIn = async (email: string) => {
          const credentials = JSON.stringify({ email, password: 'a long enough password' });
          await fetch(`${shop.url}/v1/auth/register`, { method: 'POST', headers: json, body: credentials });
          const login = await fetch(`${shop.url}/v1/auth/login`, { method: 'POST', headers: json, body: credentials });
          expect(login.status).toBe(200);
          const { accessToken } = (await login.json()) as { accessToken: string };
          return { ...json, authorization: `Bearer ${accessToken}` };
        };
        const alice = await signIn('alice@example.com');
        const customer = await fetch(`${shop.url}/v1/customers`, {
          method: 'POST',
          headers: alice,
          body: JSON.stringify({ name: 'Ada' }),
        });
        expect(customer.status, shop.output()).toBe(201);
        const { id: customerId } = (await customer.json()) as { id: string };

        const made = await fetch(`${shop.url}/v1/orders`, {
          method: 'POST',
          headers: alice,
          body: JSON.stringify({ customerId, total: 42 }),
        });
        expect(made.status, await made.clone().text()).toBe(201);
        const order = (await made.json()) as { id: string };
        const read = await fetch(`${shop.url}/v1/orders/${order.id}`, { headers: alice });
        expect(read.status).toBe(200);
        expect(await read.json()).toMatchObject({ id: order.id, customerId, total: 42 });

        // The row is in the service's database; the monolith's migrations dropped its table.
        expect(await sql(`SELECT id FROM orders`, databases.service)).toEqual([{ id: order.id }]);
        expect(await sql(`SELECT to_regclass('public.orders') AS orders`, databases.monolith)).toEqual([
          { orders: null },
        ]);

        const bob = await signIn('bob@example.com');
        expect((await fetch(`${shop.url}/v1/orders/${order.id}`, { headers: bob })).status).toBe(404);

        // One trace: the monolith's server span, its client span, and the service's server span
        // under that client span.
        const server = await collector.span((span) => span.name === 'POST /v1/orders');
        const client = (await collector.span(
          (span) => span.traceId === server.traceId && (span as LinkedSpan).kind === SPAN_KIND_CLIENT,
        )) as LinkedSpan;
        const remote = (await collector.span(
          (span) => span.traceId === server.traceId && (span as LinkedSpan).parentSpanId === client.spanId,
        )) as LinkedSpan;
        expect(remote.name).toBe('POST /v1/orders');
        expect(remote.spanId).not.toBe(server.spanId);

        // The service stops: /v1/orders answers 503 with Retry-After; the rest stays up and ready.
        await stop(orders);
        const started = Date.now();
        const down = await fetch(`${shop.url}/v1/orders/${order.id}`, { headers: alice });
        expect(down.status).toBe(503);
        expect(down.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(down.headers.get('retry-after')).toMatch(/^\d+$/);
        // Within the client's timeout and retries (2 s per attempt, three attempts at most).
        expect(Date.now() - started).toBeLessThan(8_000);
        expect((await fetch(`${shop.url}/v1/items`, { headers: alice })).status).toBe(200);
        const ready = await fetch(`${shop.url}/health/ready`);
        expect(ready.status).toBe(200);
        expect(JSON.stringify(await ready.json())).toContain('orders-service');

        // Started again on its port, it serves again with no restart of the monolith.
        orders = await startServer(service, {
          ...settings(databases.service),
          ...tracing,
          PORT: new URL(orders.url).port,
        });
        let status = 0;
        for (let attempt = 0; attempt < 150 && status !== 200; attempt++) {
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 200));
          status = (await fetch(`${shop.url}/v1/orders/${order.id}`, { headers: alice })).status;
        }
        expect(status).toBe(200);
      } finally {
        await Promise.all([stop(orders), stop(shop)]);
        await collector.close();
      }
    });
  },
);
