import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEvidence, type Finding } from '../../src/doctor/findings.js';
import { cliPath, repoRoot, runCli, scratchDir } from '../helpers.js';

interface Report {
  score: number;
  passed: boolean;
  framework: string | null;
  generatorVersion: string | null;
  live: { requests: number; durationMs: number } | null;
  mistakes: { mistake: number; score: number; findings: Finding[] }[];
}

const fixture = (name: string) => path.join(repoRoot, 'test/fixtures', name);

async function doctorJson(args: string[]): Promise<{ exitCode: number | undefined; report: Report; stderr: string }> {
  const result = await runCli(['doctor', ...args, '--json']);
  return { exitCode: result.exitCode, report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
}

/** One line per finding: `mistake severity id: evidence; evidence`. */
function lines(report: Report, source: Finding['source'] = 'static'): string[] {
  return report.mistakes.flatMap((entry) =>
    entry.findings
      .filter((finding) => finding.source === source)
      .map(
        (finding) =>
          `${finding.mistake} ${finding.severity} ${finding.id}: ${finding.evidence.map(describeEvidence).join('; ')}`,
      ),
  );
}

const scores = (report: Report) => report.mistakes.map((entry) => entry.score);
const notAudited = '5 info advisories: npm audit was not run';

describe('doctor on projects it did not generate', () => {
  it('finds every mistake of an express-generator app', async () => {
    const { exitCode, report } = await doctorJson([fixture('express-generator-app'), '--no-audit']);
    expect(exitCode).toBe(0);
    expect(report.framework).toBe('express');
    expect(lines(report)).toEqual([
      '1 medium graceful-shutdown: missing: no SIGTERM handler, close-with-grace, terminus or http-terminator',
      '1 medium in-memory-sessions: app.js:23 express-session without a store keeps sessions in this process',
      '1 low load-shedding: missing: none of @fastify/under-pressure, under-pressure, overload-protection, toobusy-js, express-toobusy',
      '2 high sql-injection: routes/users.js:8 SQL glued to a value with +, from req.query; routes/users.js:17 SQL in a template literal with interpolated values, from req.params',
      '2 medium migrations: missing: pg is a dependency, but there is no migrations folder or migration tool',
      '2 medium foreign-key-index: schema.sql:10 orders(user_id) is a foreign key no index starts with',
      "3 high error-leak: app.js:37 sends the error's message for every status, 5xx included",
      '3 medium request-id: missing: no x-request-id header, genReqId or request-id middleware',
      // The stack reaches the view only when app.get('env') === 'development'.
      '3 low error-leak-development: views/error.jade:6 prints the stack trace',
      '3 low problem-json: missing: no response uses application/problem+json',
      '4 low deprecated-dependency: package.json jade: use pug (jade was renamed in 2016)',
      '4 low unused-dependency: package.json lodash: no file imports or names it',
      '5 high rate-limit: missing: none of @fastify/rate-limit, express-rate-limit, rate-limiter-flexible, @nestjs/throttler, koa-ratelimit, hono-rate-limiter, @upstash/ratelimit',
      '5 high cors: app.js:19 cors() with no options allows every origin',
      '5 high committed-env: .env is not in .gitignore: the next `git add .` commits it',
      '5 high secret-in-source: app.js:23 secret is a literal of 12 characters',
      '5 medium input-validation: routes/users.js:25 POST / takes a body with no schema',
      '5 medium security-headers: missing: none of helmet, @fastify/helmet, koa-helmet, hono/secure-headers, and no X-Content-Type-Options set',
      '5 medium lockfile: missing: none of package-lock.json, npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml, bun.lock, bun.lockb',
      notAudited,
      '6 medium structured-logs: app.js:5 morgan writes text access lines, not JSON',
      '6 medium health: missing: no /health, /healthz, /livez or /ready route',
      '6 medium metrics: missing: none of prom-client, fastify-metrics, express-prom-bundle, prometheus-api-metrics or OpenTelemetry',
      '6 low console-log: routes/users.js:26 console.log() in code that serves requests',
    ]);
    expect(scores(report)).toEqual([50, 20, 20, 80, 0, 30]);
    expect(report.score).toBe(33);
  });

  it('finds the mistakes of a NestJS app and ignores its tests', async () => {
    const { report } = await doctorJson([fixture('nest-app'), '--no-audit']);
    expect(report.framework).toBe('nestjs');
    expect(lines(report)).toEqual([
      '1 low load-shedding: missing: none of @fastify/under-pressure, under-pressure, overload-protection, toobusy-js, express-toobusy',
      // customerId is a parameter: no request value is seen flowing in within the function.
      '2 medium sql-built: src/orders/orders.service.ts:21 SQL in a template literal with interpolated values',
      '2 medium migrations: missing: pg is a dependency, but there is no migrations folder or migration tool',
      '2 medium schema-sync: src/app.module.ts:15 synchronize: true changes tables on every start',
      "3 high error-leak: src/common/all-exceptions.filter.ts:13 sends the error's message for every status, 5xx included; src/common/all-exceptions.filter.ts:14 sends the stack trace",
      '3 medium request-id: missing: no x-request-id header, genReqId or request-id middleware',
      '3 low problem-json: missing: no response uses application/problem+json',
      '5 high cors: src/main.ts:8 .enableCors() allows every origin',
      '5 medium input-validation: src/orders/orders.controller.ts:25 @Body() body: any: a type ValidationPipe cannot check',
      '5 medium security-headers: missing: none of helmet, @fastify/helmet, koa-helmet, hono/secure-headers, and no X-Content-Type-Options set',
      '5 medium docker-root: Dockerfile:1 the final stage (node:20-alpine) has no USER: it runs as root',
      notAudited,
      '6 medium structured-logs: missing: none of pino, pino-http, winston, bunyan, nestjs-pino, express-winston, express-pino-logger',
      '6 medium metrics: missing: none of prom-client, fastify-metrics, express-prom-bundle, prometheus-api-metrics or OpenTelemetry',
      '6 low console-log: src/orders/orders.service.ts:19 console.log() in code that serves requests',
    ]);
    expect(scores(report)).toEqual([90, 40, 30, 100, 0, 50]);
  });

  it('credits the safeguards a Fastify app has and names the ones it lacks', async () => {
    const { report } = await doctorJson([fixture('fastify-app'), '--no-audit']);
    expect(report.framework).toBe('fastify');
    expect(lines(report)).toEqual([
      '1 medium graceful-shutdown: src/server.js:6 handles SIGINT only; Docker and Kubernetes stop a process with SIGTERM',
      '1 low load-shedding: missing: none of @fastify/under-pressure, under-pressure, overload-protection, toobusy-js, express-toobusy',
      '2 medium foreign-key-index: migrations/1718000000000_init.sql:20 order_items(product_id) is a foreign key no index starts with',
      '3 medium request-id: missing: no x-request-id header, genReqId or request-id middleware',
      '3 low problem-json: missing: no response uses application/problem+json',
      '5 high cors: src/app.js:11 origin: true lets any origin read responses',
      '5 medium input-validation: src/routes/orders.js:38 PUT /:id/items takes a body with no schema',
      notAudited,
      '6 medium metrics: missing: none of prom-client, fastify-metrics, express-prom-bundle, prometheus-api-metrics or OpenTelemetry',
      '6 low readiness: missing: no /health/ready, /readyz or /ready route',
    ]);
    expect(scores(report)).toEqual([70, 80, 70, 100, 40, 70]);
  });
});

describe('doctor verdicts and output', () => {
  it('exits 1 under --min-score and 0 at it, so CI can gate on it', async () => {
    const app = fixture('express-generator-app');
    expect((await runCli(['doctor', app, '--no-audit', '--min-score', '34'])).exitCode).toBe(1);
    expect((await runCli(['doctor', app, '--no-audit', '--min-score', '33'])).exitCode).toBe(0);
  });

  it('prints a plain report when stdout is not a terminal', async () => {
    const result = await runCli(['doctor', fixture('fastify-app'), '--no-audit', '--min-score', '90']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).not.toContain('\u001b[');
    expect(result.stdout).toContain('Fastify project; 32 static checks');
    expect(result.stdout).toContain('5. Unsecured APIs                    40/100');
    expect(result.stdout).toContain(
      '   HIGH      cors: CORS is open to any origin\n             src/app.js:11 origin: true',
    );
    expect(result.stdout).toMatch(/Score 71\/100 \(below --min-score 90\)$/);
  });

  it('colours the report in a terminal unless NO_COLOR is set', async () => {
    const inTerminal = async (env: Record<string, string>) => {
      const command = `node '${cliPath}' doctor '${fixture('fastify-app')}' --no-audit`;
      const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
        env: { ...process.env, TERM: 'xterm', NO_COLOR: '', ...env },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let screen = '';
      child.stdout.on('data', (chunk) => {
        screen += chunk;
      });
      await once(child, 'exit');
      return screen;
    };
    expect(await inTerminal({})).toContain('\u001b[31mHIGH  \u001b[39m');
    expect(await inTerminal({ NO_COLOR: '1' })).not.toContain('\u001b[');
  });

  const usageCases: [string, string[], RegExp][] = [
    ['a missing directory', ['doctor', 'no-such-dir'], /No such directory: .*no-such-dir/],
    ['a folder without package.json', ['doctor', path.join(repoRoot, 'test')], /has no package\.json/],
    ['a URL that is not http', ['doctor', '--url', 'ftp://127.0.0.1/'], /Invalid --url "ftp:\/\/127\.0\.0\.1\/"/],
    ['a score out of range', ['doctor', '--min-score', '101'], /Invalid --min-score "101"/],
    ['an unknown flag', ['doctor', '--fix'], /Unknown option '--fix'[\s\S]*doctor --help/],
  ];
  for (const [what, args, message] of usageCases) {
    it(`exits 2 on ${what}`, async () => {
      const result = await runCli(args, { cwd: scratchDir() });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('has its own --help', async () => {
    const result = await runCli(['doctor', '--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('create-sound-backend doctor [dir] [options]');
    for (const flag of ['--url', '--json', '--min-score', '--no-audit']) expect(result.stdout).toContain(flag);
  });
});

describe('doctor on a generated project', () => {
  const cwd = scratchDir('csb-doctor-');
  const dir = path.join(cwd, 'api');

  beforeAll(async () => {
    const created = await runCli(['api', '--yes', '--no-install', '--no-git'], { cwd });
    expect(created.exitCode, created.stderr).toBe(0);
    // The lockfile a real install writes, without the two-minute native build.
    await execa('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir });
  }, 180_000);

  it('scores full marks statically', async () => {
    const { exitCode, report } = await doctorJson([dir, '--no-audit', '--min-score', '100']);
    expect(lines(report)).toEqual([notAudited]);
    expect(report).toMatchObject({ score: 100, passed: true, framework: 'fastify' });
    expect(report.generatorVersion).toBe(JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version);
    expect(exitCode).toBe(0);
  });
});

describe('doctor --url against a deliberately unsafe server', () => {
  let hits = 0;
  // Everything the six safeguards forbid: HTML errors with stacks, open CORS, no limits, no probes.
  const server = createServer((request, response) => {
    hits++;
    response.setHeader('x-powered-by', 'Express');
    response.setHeader('access-control-allow-origin', '*');
    response.setHeader('content-type', 'text/html');
    if (request.method === 'POST') {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        try {
          JSON.parse(body);
          response.end('<p>ok</p>');
        } catch (error) {
          response.statusCode = 500;
          response.end(`<pre>${(error as Error).stack}</pre>`);
        }
      });
      return;
    }
    if (request.url !== '/') response.statusCode = 404;
    response.end(request.url === '/' ? '<h1>Shop</h1>' : `<pre>Cannot GET ${request.url}</pre>`);
  });
  let url = '';

  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  it('finds each unsafe answer, within its bound of 200 requests', async () => {
    const { exitCode, report } = await doctorJson([fixture('fastify-app'), '--no-audit', '--url', url]);
    expect(exitCode).toBe(0);
    const live = lines(report, 'live').map((line) =>
      line.replace(/doctor-probe-[0-9a-f]{12}/g, 'doctor-probe-…').replace(/in \d+\.\d s/, 'in … s'),
    );
    expect(live).toEqual([
      '3 high live-stack: POST / → 500 with a stack trace or source path in the body',
      '3 medium live-not-found: GET /doctor-probe-… → 404 text/html',
      '3 medium live-request-id: GET /doctor-probe-…: no x-request-id header',
      '3 medium live-malformed-json: POST / with a truncated JSON body → 500 text/html',
      '5 high live-cors: Origin https://doctor-probe.invalid was answered Access-Control-Allow-Origin: *',
      '5 high live-rate-limit: 184 requests to GET / in … s: none answered 429',
      '5 medium live-security-headers: GET /doctor-probe-…: no X-Content-Type-Options: nosniff; GET /doctor-probe-…: no X-Frame-Options or CSP frame-ancestors; GET /doctor-probe-…: X-Powered-By: Express names the server',
      '6 medium live-health: none of /health/live, /livez, /healthz, /health answered 200',
      '6 medium live-metrics: GET /metrics → 404 text/html',
      '6 low live-readiness: none of /health/ready, /readyz, /ready answered 200 or 503',
    ]);
    expect(report.live?.requests).toBe(200);
    expect(hits).toBe(200);
  });

  it('exits 1 when nothing answers at the URL', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    const dir = scratchDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{"name":"empty"}');
    const result = await runCli(['doctor', dir, '--no-audit', '--url', `http://127.0.0.1:${port}`]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^Cannot reach http:\/\/127\.0\.0\.1:\d+: fetch failed/);
  });
});

/** A project written into a fresh folder, file by file. */
function writeProject(files: Record<string, string>): string {
  const dir = scratchDir('csb-doctor-');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('doctor on input it must survive', () => {
  it('still prints the static report when nothing answers at --url', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    const url = `http://127.0.0.1:${port}`;

    const json = await runCli(['doctor', fixture('fastify-app'), '--no-audit', '--url', url, '--json']);
    expect(json.exitCode).toBe(1);
    const report = JSON.parse(json.stdout) as Report & { live: { error: string } };
    expect(report.live.error).toMatch(/^Cannot reach http:\/\/127\.0\.0\.1:\d+: fetch failed/);
    expect(report.passed).toBe(false);
    expect(report.score).toBe(71);
    expect(lines(report)).toContain('5 high cors: src/app.js:11 origin: true lets any origin read responses');
    expect(json.stderr).toMatch(/^Cannot reach http:\/\/127\.0\.0\.1:\d+: fetch failed/);

    const human = await runCli(['doctor', fixture('fastify-app'), '--no-audit', '--url', url]);
    expect(human.exitCode).toBe(1);
    expect(human.stdout).toMatch(/live probes of http:\/\/127\.0\.0\.1:\d+\/: Cannot reach/);
    expect(human.stdout).toMatch(/Score 71\/100$/);
  });

  for (const [what, text] of [
    ['null', 'null'],
    ['an array', '[]'],
    ['a string', '"x"'],
  ] as const) {
    it(`says a package.json holding ${what} is not a project manifest`, async () => {
      const dir = writeProject({ 'package.json': text });
      const result = await runCli(['doctor', dir, '--no-audit', '--json']);
      expect(result.exitCode).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`Cannot read ${path.join(dir, 'package.json')}: it holds ${what}, not a JSON object`);
    });
  }

  for (const args of [['--min-score', '-1'], ['--min-score=-1']]) {
    it(`answers ${args.join(' ')} with the range it takes`, async () => {
      const result = await runCli(['doctor', ...args], { cwd: scratchDir() });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toBe('Invalid --min-score "-1": expected a whole number from 0 to 100');
    });
  }
});

describe('doctor on what it cannot judge', () => {
  it('scores a project with no server code 0, not full marks for what it cannot see', async () => {
    const { exitCode, report } = await doctorJson([writeProject({ 'package.json': '{}' }), '--no-audit']);
    expect(exitCode).toBe(0);
    expect(scores(report)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(report.score).toBe(0);
    expect(lines(report).filter((line) => line.includes('no-server-code'))).toEqual(
      [1, 2, 3, 4, 5, 6].map(
        (mistake) =>
          `${mistake} high no-server-code: missing: no source file that uses a web framework or starts a server (0 source files read)`,
      ),
    );
  });

  it('judges a small server of its own on what it shows', async () => {
    const dir = writeProject({
      'package.json': '{"name":"tiny"}',
      'server.js': "require('node:http').createServer((req, res) => res.end('ok')).listen(3000);\n",
    });
    const { report } = await doctorJson([dir, '--no-audit']);
    expect(lines(report).some((line) => line.includes('no-server-code'))).toBe(false);
    expect(report.score).toBeGreaterThan(0);
  });

  for (const config of ['wrangler.toml', 'wrangler.jsonc']) {
    it(`does not judge a Cloudflare Workers app (${config}) on process-level safeguards`, async () => {
      const dir = writeProject({
        'package.json': '{"name":"edge","dependencies":{"hono":"^4.6.0"},"devDependencies":{"wrangler":"^3.0.0"}}',
        'package-lock.json': '{}',
        [config]: config.endsWith('.toml')
          ? 'name = "edge"\nmain = "src/index.ts"\n'
          : '{\n  // the Worker\n  "name": "edge",\n  "main": "src/index.ts"\n}\n',
        'src/index.ts': `import { Hono } from 'hono';
const app = new Hono();
app.get('/', (c) => c.json({ ok: true }));
export default { fetch: app.fetch };
`,
      });
      const { report } = await doctorJson([dir, '--no-audit']);
      expect(lines(report)).toEqual([
        '1 info runtime: graceful-shutdown: a Worker has no process to stop: the platform drains its requests; load-shedding: the platform spreads requests over isolates; no event loop of yours queues them',
        '3 medium request-id: missing: no x-request-id header, genReqId or request-id middleware',
        '3 low problem-json: missing: no response uses application/problem+json',
        '5 high rate-limit: missing: none of @fastify/rate-limit, express-rate-limit, rate-limiter-flexible, @nestjs/throttler, koa-ratelimit, hono-rate-limiter, @upstash/ratelimit',
        '5 medium security-headers: missing: none of helmet, @fastify/helmet, koa-helmet, hono/secure-headers, and no X-Content-Type-Options set',
        notAudited,
        '6 medium structured-logs: missing: none of pino, pino-http, winston, bunyan, nestjs-pino, express-winston, express-pino-logger',
        '6 info runtime: health: no orchestrator polls a Worker: the platform routes around failing isolates; readiness: a Worker takes traffic as soon as it is deployed; metrics: Workers Analytics counts requests, errors and CPU time; there is no process to scrape',
      ]);
      expect(scores(report)[0]).toBe(100);
      expect((await runCli(['doctor', dir, '--no-audit'])).stdout).toContain('Hono project on Cloudflare Workers;');
    });
  }
});

describe('doctor on secrets and TLS', () => {
  it('reports secrets that fall back to a literal and TLS checks turned off', async () => {
    const dir = writeProject({
      'package.json': '{"name":"api","dependencies":{"express":"^4.21.0","pg":"^8.0.0"}}',
      'src/config.js': `module.exports = {
  jwtSecret: process.env.JWT_SECRET || 'superSecret',
  dbPassword: process.env['DB_PASSWORD'] ?? 'postgres',
  region: process.env.REGION || 'eu-west-1',
  apiKey: process.env.API_KEY || '',
  jwtExpiresIn: process.env.JWT_SECRET_EXPIRES_IN || '7d',
  passwordMinLength: process.env.PASSWORD_MIN_LENGTH ?? '12',
  ssl: { rejectUnauthorized: false },
};
`,
      'src/app.js': "const express = require('express');\nconst app = express();\napp.listen(3000);\n",
    });
    const { report } = await doctorJson([dir, '--no-audit']);
    const found = lines(report);
    expect(found.filter((line) => line.includes(' secret-in-source:'))).toEqual([
      '5 high secret-in-source: src/config.js:2 JWT_SECRET falls back to a literal of 11 characters; src/config.js:3 DB_PASSWORD falls back to a literal of 8 characters',
    ]);
    expect(found.filter((line) => line.includes(' tls-verify:'))).toEqual([
      '5 medium tls-verify: src/config.js:8 rejectUnauthorized: false accepts any certificate',
    ]);
  });
});
