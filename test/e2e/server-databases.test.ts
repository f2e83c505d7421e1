import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../helpers.js';
import {
  apiKeyIn,
  type DatabaseServer,
  npmRun,
  runInProject,
  startIdentityProvider,
  startServer,
  unreachable,
} from './project.js';

const servers: (DatabaseServer & { db: string; auth: string; monitoring: string })[] = [
  // API keys on both servers, with OAuth2 on one: the auth choices other projects do not
  // cover (jwt is the default project's, the scale project's on PostgreSQL; none the minimal
  // project's). ELK logs ride along, with Prometheus and OpenTelemetry and alone, so each
  // monitoring choice is installed once.
  {
    db: 'postgres',
    auth: 'oauth2,apikey',
    monitoring: 'prometheus,opentelemetry,elk',
    name: 'PostgreSQL',
    port: 5432,
    url: 'postgres://postgres@127.0.0.1:5432/test',
  },
  {
    db: 'mysql',
    auth: 'apikey',
    monitoring: 'elk',
    name: 'MariaDB',
    port: 3306,
    url: 'mysql://root@127.0.0.1:3306/test',
  },
];

interface Span {
  traceId: string;
  name: string;
}

/** An OTLP/HTTP (JSON) receiver standing in for the collector: it keeps every span sent to it. */
async function otlpReceiver() {
  const spans: Span[] = [];
  const receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const { resourceSpans = [] } = JSON.parse(body || '{}') as {
        resourceSpans?: { scopeSpans: { spans: Span[] }[] }[];
      };
      spans.push(...resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  return {
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
    async span(match: (span: Span) => boolean): Promise<Span> {
      for (let attempt = 0; attempt < 100; attempt++) {
        const found = spans.find(match);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no such span among ${JSON.stringify(spans.map((span) => span.name))}`);
    },
    close: () => receiver.close(),
  };
}

// One project per server database: generated, installed, tested against the real server,
// migrated and started. Each of its test apps (and this file) uses a database of its own.
describe.each(servers)('create-sound-backend --db $db --auth $auth --monitoring $monitoring', async (server) => {
  const skipReason = await unreachable(server);
  const cwd = scratchDir(`csb-e2e-${server.db}-`);
  const dir = path.join(cwd, 'api');
  const env = { DATABASE_URL: server.url };
  let database = { url: '', name: '' };

  beforeAll(async () => {
    if (skipReason) return;
    const args = ['--db', server.db, '--auth', server.auth, '--monitoring', server.monitoring];
    const result = await runCli(['api', '--yes', '--no-git', ...args], { cwd, all: true });
    expect(result.exitCode, result.all).toBe(0);
    // A resource on each server database: its migration is derived per dialect, so the drift
    // test, the migration and its own tests run here (no new dependency, so no new install).
    const added = await runCli(['add', 'resource', 'orders', '--cwd', dir], { all: true });
    expect(added.exitCode, added.all).toBe(0);
  });
  afterAll(async () => {
    if (skipReason || !database.name) return;
    await runInProject(
      dir,
      `await (await import('./test/database.ts')).onServer('DROP DATABASE ${database.name}');`,
      env,
    );
  });

  it.skipIf(skipReason)('passes its own typecheck, lint, tests (against the real server) and build', async () => {
    await npmRun(dir, 'typecheck');
    await npmRun(dir, 'lint');
    const tests = await npmRun(dir, 'test', env);
    expect(tests).toMatch(/Tests\s+\d+ passed/);
    expect(tests).not.toMatch(/skipped|failed/);
    expect(tests).toContain('test/database-outage.test.ts');
    expect(tests).toContain('test/replicas.test.ts');
    expect(tests).toContain('test/orders.test.ts');
    await npmRun(dir, 'build');
    // The gate its own CI workflow sets: the score these choices earn, so it fails only on a slip.
    const workflow = readFileSync(path.join(dir, '.github/workflows/ci.yml'), 'utf8');
    const minScore = /doctor --min-score (\d+)/.exec(workflow)?.[1];
    expect(minScore).toBe(server.monitoring.includes('prometheus') ? '100' : '96');
    const doctor = await runCli(['doctor', dir, '--no-audit', '--min-score', String(minScore)], { all: true });
    expect(doctor.exitCode, doctor.all).toBe(0);
  });

  it.skipIf(skipReason)('migrates a fresh database, starts, serves the items API and stops cleanly', async () => {
    const url = await runInProject(
      dir,
      `const { createTestDatabase } = await import('./test/database.ts'); process.stdout.write((await createTestDatabase()).url);`,
      env,
    );
    database = { url, name: new URL(url).pathname.slice(1) };
    const provider = server.auth.includes('oauth2') ? await startIdentityProvider() : undefined;
    // The configuration is checked whole, so the scripts need the provider's settings too.
    const scriptEnv = { DATABASE_URL: url, ...provider?.env };
    await npmRun(dir, 'db:migrate', scriptEnv);
    // The key is made by the project's own script, against the migrated database.
    const key = apiKeyIn(await npmRun(dir, 'apikey:create', scriptEnv, ['--name', 'e2e']));
    expect(key).toMatch(/^sk_[0-9a-f]{12}_/);
    const traced = server.monitoring.includes('opentelemetry');
    const collector = traced ? await otlpReceiver() : undefined;
    const app = await startServer(dir, {
      NODE_ENV: 'production',
      DATABASE_URL: url,
      ...provider?.env,
      ...(collector && { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '100' }),
    });
    try {
      const ready = await fetch(`${app.url}/health/ready`);
      expect(await ready.json()).toMatchObject({ status: 'ok', checks: { database: 'ok' } });

      const json = { 'content-type': 'application/json' };
      expect((await fetch(`${app.url}/v1/items`)).status).toBe(401);
      const headers = { ...json, 'x-api-key': key };
      const created = await fetch(`${app.url}/v1/items`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'first item' }),
      });
      expect(created.status).toBe(201);
      const item = (await created.json()) as { id: string };
      const duplicate = await fetch(`${app.url}/v1/items`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'first item' }),
      });
      expect(duplicate.status).toBe(409);
      const list = (await (await fetch(`${app.url}/v1/items`, { headers })).json()) as { items: { id: string }[] };
      expect(list.items.map((entry) => entry.id)).toEqual([item.id]);
      expect((await fetch(`${app.url}/v1/items/${item.id}`, { headers })).status).toBe(200);
      if (collector) {
        // The built dist/instrumentation.js, loaded by the start script, traces the read and its query.
        const read = await collector.span((span) => span.name === 'GET /v1/items/:id');
        await collector.span((span) => span.traceId === read.traceId && span.name.startsWith('pg.query'));
      }
      if (provider) {
        // Another principal: a token of the provider, whose subject owns nothing yet.
        const bearer = { authorization: `Bearer ${provider.token('e2e-subject', 'items:write')}` };
        expect((await fetch(`${app.url}/v1/items/${item.id}`, { headers: bearer })).status).toBe(404);
        const mine = (await (await fetch(`${app.url}/v1/items`, { headers: bearer })).json()) as { items: unknown[] };
        expect(mine.items).toEqual([]);
      }

      await npmRun(dir, 'apikey:revoke', scriptEnv, [key.split('_')[1] ?? '']);
      expect((await fetch(`${app.url}/v1/items`, { headers })).status).toBe(401);
    } finally {
      await provider?.close();
      app.child.kill('SIGTERM');
      const [code] = await once(app.child, 'exit');
      expect(code, app.output()).toBe(0);
      collector?.close();
    }
  });
});
