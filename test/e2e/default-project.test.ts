import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../helpers.js';
import { nodeOfProject, projectEnv, projectNodeVersion } from '../project-node.js';
import { freePort, npmRun, startServer } from './project.js';

// The default project exactly as a new user gets it: `--yes`, with install and git.
describe('create-sound-backend my-api --yes', () => {
  const cwd = scratchDir('csb-e2e-');
  const dir = path.join(cwd, 'my-api');

  beforeAll(async () => {
    // The tool runs on the Node running the tests; the npm it installs with, on the project's.
    const result = await runCli(['my-api', '--yes'], { cwd, all: true, env: projectEnv() });
    expect(result.exitCode, result.all).toBe(0);
  });

  // Named in the report: the proof of which Node the project was tested on (SOUND_PROJECT_NODE).
  it(`runs on Node ${projectNodeVersion()}`, async () => {
    const version = await nodeOfProject(dir);
    process.stderr.write(`e2e: my-api runs on Node ${version}\n`);
    expect(version).toBe(projectNodeVersion());
  });

  it('installs and makes a first commit holding every file and the lockfile', async () => {
    expect(existsSync(path.join(dir, 'node_modules/fastify/package.json'))).toBe(true);
    const log = await execa('git', ['log', '--oneline'], { cwd: dir });
    expect(log.stdout.split('\n')).toHaveLength(1);
    const status = await execa('git', ['status', '--porcelain'], { cwd: dir });
    expect(status.stdout).toBe('');
    const tracked = await execa('git', ['ls-files'], { cwd: dir });
    expect(tracked.stdout.split('\n')).toContain('package-lock.json');
  });

  it('passes its own typecheck, lint, tests and build', async () => {
    await npmRun(dir, 'typecheck');
    await npmRun(dir, 'lint');
    const tests = await npmRun(dir, 'test');
    // Vitest's summary, e.g. `Tests  101 passed (101)`: a skipped or failed test would be named in
    // it. (A log line the tests print may say "failed" of a request they made fail on purpose.)
    expect(tests).toMatch(/^\s*Tests\s+\d+ passed \(\d+\)\s*$/m);
    expect(tests).toMatch(/^\s*Test Files\s+\d+ passed \(\d+\)\s*$/m);
    await npmRun(dir, 'build');
  });

  it('migrates, starts, registers, logs in, serves the items API and stops cleanly on SIGTERM', async () => {
    await npmRun(dir, 'db:migrate');
    const server = await startServer(dir, {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      JWT_SECRET: 'an-end-to-end-secret-of-at-least-32-characters',
    });
    try {
      const ready = await fetch(`${server.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ok', checks: { database: 'ok' } });

      const json = { 'content-type': 'application/json' };
      const credentials = JSON.stringify({ email: 'e2e@example.com', password: 'a long enough password' });
      const registered = await fetch(`${server.url}/v1/auth/register`, {
        method: 'POST',
        headers: json,
        body: credentials,
      });
      expect(registered.status).toBe(202);
      const login = await fetch(`${server.url}/v1/auth/login`, { method: 'POST', headers: json, body: credentials });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const authorization = `Bearer ${accessToken}`;
      expect((await fetch(`${server.url}/v1/items`)).status).toBe(401);

      const created = await fetch(`${server.url}/v1/items`, {
        method: 'POST',
        headers: { ...json, authorization },
        body: JSON.stringify({ name: 'first item', description: 'made by the end-to-end test' }),
      });
      expect(created.status).toBe(201);
      const item = (await created.json()) as { id: string; name: string };
      expect(item.name).toBe('first item');

      const read = await fetch(`${server.url}/v1/items/${item.id}`, { headers: { authorization } });
      expect(read.headers.get('cache-control')).toBe('no-store');
      expect(await read.json()).toMatchObject({ id: item.id, name: 'first item' });
      const list = (await (await fetch(`${server.url}/v1/items?limit=10`, { headers: { authorization } })).json()) as {
        items: { id: string }[];
      };
      expect(list.items.map((entry) => entry.id)).toContain(item.id);

      const missing = await fetch(`${server.url}/v1/items/00000000-0000-4000-8000-000000000000`, {
        headers: { authorization },
      });
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toContain('application/problem+json');
    } finally {
      server.child.kill('SIGTERM');
      const [code] = await once(server.child, 'exit');
      expect(code, server.output()).toBe(0);
    }
  });

  it('scores full marks from doctor, statically and live', async () => {
    const server = await startServer(dir, {
      NODE_ENV: 'production',
      JWT_SECRET: 'an-end-to-end-secret-of-at-least-32-characters',
    });
    try {
      // npm audit runs too: where the registry answers, an advisory in a dependency costs points.
      const result = await runCli(['doctor', dir, '--url', server.url, '--min-score', '100', '--json']);
      const report = JSON.parse(result.stdout) as {
        score: number;
        live: { requests: number };
        mistakes: { findings: { severity: string; id: string; title: string }[] }[];
      };
      const findings = report.mistakes.flatMap((entry) => entry.findings);
      expect(findings.filter((finding) => finding.severity !== 'info')).toEqual([]);
      expect(report.score).toBe(100);
      expect(result.exitCode).toBe(0);
      // The rate-limit probe stopped at the first 429 of the auth routes' tighter limit.
      expect(report.live.requests).toBeLessThan(50);
    } finally {
      server.child.kill('SIGTERM');
      await once(server.child, 'exit');
    }
  });

  it('npm run dev keeps a token valid across a restart: the JWT_SECRET create wrote into .env', async () => {
    await npmRun(dir, 'db:migrate');
    const port = await freePort();
    const { JWT_SECRET: _, ...inherited } = process.env;
    // As a developer runs it: npm, tsx watch, .env read at each start (not under NODE_ENV=test).
    const dev = spawn('npm', ['run', 'dev'], {
      cwd: dir,
      env: {
        ...inherited,
        ...projectEnv({ NODE_ENV: 'development', HOST: '127.0.0.1', PORT: String(port) }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    dev.stdout.on('data', (chunk) => {
      output += chunk;
    });
    dev.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const started = async (times: number) => {
      for (let attempt = 0; attempt < 600; attempt++) {
        if ((output.match(/Server listening at/g) ?? []).length >= times) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`npm run dev did not start ${times} times:\n${output}`);
    };
    try {
      await started(1);
      const base = `http://127.0.0.1:${port}`;
      const json = { 'content-type': 'application/json' };
      const body = JSON.stringify({ email: 'dev@example.com', password: 'a long enough password' });
      expect((await fetch(`${base}/v1/auth/register`, { method: 'POST', headers: json, body })).status).toBe(202);
      const login = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: json, body });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const headers = { authorization: `Bearer ${accessToken}` };
      expect((await fetch(`${base}/v1/items`, { headers })).status).toBe(200);

      // A saved file: tsx watch starts a new process.
      const now = new Date();
      utimesSync(path.join(dir, 'src/app.ts'), now, now);
      await started(2);
      const after = await fetch(`${base}/v1/items`, { headers });
      expect(after.status, await after.clone().text()).toBe(200);
    } finally {
      if (dev.pid !== undefined) process.kill(-dev.pid, 'SIGTERM');
      await once(dev, 'exit');
    }
  });
});
