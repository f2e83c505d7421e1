// npm run bench: medians and ratios against peers measured in the same run.
// Never a test: numbers are printed, and written to bench/RESULTS.md.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { answers, cachedItem } from './http.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(root, 'bin/create-sound-backend.js');
const peers = path.join(root, '.tmp/bench-peers');
const only = process.argv[2]; // cli | render | footprint | server | cache | writes, or all
// Where the table goes: bench/RESULTS.md after a full run; BENCH_RESULTS=file to keep trial figures out of it.
const resultsFile = process.env.BENCH_RESULTS ?? (only ? undefined : path.join(root, 'bench/RESULTS.md'));
// BENCH_QUICK=1: one round of 2 s loads and two timed runs, to see that every part works; figures mean little.
const quick = process.env.BENCH_QUICK === '1';
const rounds = quick ? 1 : 3;
const loadSeconds = quick ? 2 : 8;
const warmupSeconds = quick ? 1 : 2;
/** Every value of every kind (a database server, since Kubernetes needs one): the full-option project. */
const fullProject = ['--preset', path.join(root, 'bench/full-project.json')];
const peerVersions = { 'create-t3-app': '7', '@nestjs/cli': '12', autocannon: '8' };
const nestCli = () => path.join(peers, 'node_modules/@nestjs/cli/bin/nest.js');
const t3Cli = () => path.join(peers, 'node_modules/create-t3-app/dist/index.js');
const rows = [];

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  return result;
}

/** Wall-clock seconds of one run, median over `times` (after one warm-up). */
function timeCommand(command, args, times, { cwd = root, before = () => {} } = {}) {
  const samples = [];
  for (let i = 0; i <= times; i++) {
    before();
    const start = process.hrtime.bigint();
    run(command, args, { stdio: 'ignore', cwd });
    if (i > 0) samples.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return median(samples);
}

/** The peers' own tools, in .tmp/ (the NestJS CLI 12 runs on Node 20.11 and later). */
function installPeers() {
  if (Object.keys(peerVersions).every((name) => existsSync(path.join(peers, 'node_modules', name)))) return;
  mkdirSync(peers, { recursive: true });
  writeFileSync(path.join(peers, 'package.json'), '{"private":true}');
  const specs = Object.entries(peerVersions).map(([name, version]) => `${name}@${version}`);
  run('npm', ['install', '--no-audit', '--no-fund', ...specs], { cwd: peers, stdio: 'inherit' });
}

const installedVersion = (dir, name) =>
  JSON.parse(readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;

/** How each project of a bench is made in an empty `cwd`, as folder `app`. */
const generators = {
  default: (cwd) => run('node', [cli, 'app', '--yes', '--no-install', '--no-git'], { cwd }),
  full: (cwd) => run('node', [cli, 'app', '--yes', '--no-install', '--no-git', ...fullProject], { cwd }),
  't3-app': (cwd) => run('node', [t3Cli(), 'app', '--CI', '--noGit', '--noInstall'], { cwd }),
  'nest-starter': (cwd) =>
    run('node', [nestCli(), 'new', 'app', '--skip-install', '--skip-git', '--package-manager', 'npm'], { cwd }),
};

function benchCli() {
  const runs = quick ? 2 : 15;
  const bare = timeCommand('node', ['-e', '0'], runs);
  const help = timeCommand('node', [cli, '--help'], runs);
  const version = timeCommand('node', [cli, '--version'], runs);
  rows.push(['`node -e 0`', `${(bare * 1000).toFixed(0)} ms`, '1.00×', 'baseline']);
  rows.push([
    '`create-sound-backend --help`',
    `${(help * 1000).toFixed(0)} ms`,
    `${(help / bare).toFixed(2)}×`,
    '≤ 1.5×',
  ]);
  rows.push([
    '`create-sound-backend --version`',
    `${(version * 1000).toFixed(0)} ms`,
    `${(version / bare).toFixed(2)}×`,
    '≤ 1.5×',
  ]);
}

function benchRender() {
  const runs = quick ? 2 : 7;
  const work = mkdtempSync(path.join(tmpdir(), 'csb-bench-'));
  const clean = () => rmSync(path.join(work, 'app'), { recursive: true, force: true });
  const time = (name) => {
    const samples = [];
    for (let i = 0; i <= runs; i++) {
      clean();
      const start = process.hrtime.bigint();
      generators[name](work);
      if (i > 0) samples.push(Number(process.hrtime.bigint() - start) / 1e9);
    }
    return median(samples);
  };
  const [ours, full, t3, nest] = ['default', 'full', 't3-app', 'nest-starter'].map(time);
  rmSync(work, { recursive: true, force: true });
  const ms = (seconds) => `${(seconds * 1000).toFixed(0)} ms`;
  rows.push([
    'render default project (`--yes --no-install --no-git`)',
    ms(ours),
    `${(ours / t3).toFixed(2)}× create-t3-app`,
    '≤ 0.5×',
  ]);
  rows.push([
    'render full-option project (`--preset bench/full-project.json`)',
    ms(full),
    `${(full / nest).toFixed(2)}× nest new, ${(full / t3).toFixed(2)}× create-t3-app`,
    'none set',
  ]);
  rows.push(['create-t3-app `--CI --noGit --noInstall`', ms(t3), '1.00×', 'peer']);
  rows.push(['`nest new --skip-install --skip-git`', ms(nest), `${(nest / t3).toFixed(2)}× create-t3-app`, 'peer']);
}

/** Packages in the lockfile, node_modules size, and a second install's time (warm npm cache). */
function footprintOf(name, work) {
  const cwd = path.join(work, name);
  mkdirSync(cwd);
  generators[name](cwd);
  const dir = path.join(cwd, 'app');
  // The first install fills the npm cache and writes the lockfile; the second is the one timed.
  run('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'ignore' });
  rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
  const start = process.hrtime.bigint();
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'ignore' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const lock = JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
  // Installed packages, as npm's "added N packages" counts them: the lockfile also lists other platforms' builds.
  const packages = Object.keys(lock.packages).filter(
    (key) => key.startsWith('node_modules/') && existsSync(path.join(dir, key)),
  ).length;
  const kib = Number(run('du', ['-sk', path.join(dir, 'node_modules')]).stdout.split('\t')[0]);
  return { packages, megabytes: kib / 1024, seconds };
}

function benchFootprint() {
  const work = mkdtempSync(path.join(tmpdir(), 'csb-bench-footprint-'));
  const measured = Object.fromEntries(Object.keys(generators).map((name) => [name, footprintOf(name, work)]));
  rmSync(work, { recursive: true, force: true });
  const nest = measured['nest-starter'];
  const describe = ({ packages, megabytes, seconds }) =>
    `${packages} packages, ${megabytes.toFixed(0)} MB, ${seconds.toFixed(1)} s`;
  const titles = {
    default: ['install default project (packages, node_modules, warm-cache install)', '≤ 200 packages'],
    full: ['install full-option project', 'none set'],
    't3-app': ['install create-t3-app output', 'peer'],
    'nest-starter': ['install NestJS starter (`nest new`)', 'peer'],
  };
  for (const [name, footprint] of Object.entries(measured)) {
    const [title, target] = titles[name];
    rows.push([
      title,
      describe(footprint),
      `${(footprint.packages / nest.packages).toFixed(2)}× NestJS packages`,
      target,
    ]);
  }
}

const bareServer = `import Fastify from 'fastify';
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
`;

// What the issue asks of every logged request, and nothing else: one access line at info to a file
// (pino, as the generated project writes it). Measures the floor that logging alone puts under
// every ratio to the bare hello world.
const bareLoggedServer = `import Fastify, { LogController } from 'fastify';
import pino from 'pino';
const stream = pino.destination({ dest: process.env.LOG_FILE, sync: false, minLength: 4096 });
const app = Fastify({
  logger: { level: 'info', stream },
  logController: new LogController({ disableRequestLogging: true }),
});
app.addHook('onResponse', (request, reply, done) => {
  const { method, url } = request;
  request.log.info({ method, url, statusCode: reply.statusCode, responseTime: reply.elapsedTime }, 'request completed');
  done();
});
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
`;

// The generated read's per-request parts, each done the leanest way in one file: the security
// headers and request id, a verified-token lookup, a per-principal count with its three headers,
// the item from an in-memory cache, the id validated and the answer serialised by schema, a
// latency histogram and the access line. Measures how near any implementation of that read can
// come to the bare hello world on this machine. With LIMITER=plugin the count is kept by
// @fastify/rate-limit, keyed by principal as the generated project does, instead of a Map; with
// SHED=1 as well, @fastify/under-pressure checks every request, as the project's load shedding
// does: the peer with the same maintained libraries as the generated read (issue 26).
const leanReadServer = `import { randomUUID } from 'node:crypto';
import Fastify, { LogController } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import { LRUCache } from 'lru-cache';
import pino from 'pino';
import client from 'prom-client';
const stream = pino.destination({ dest: process.env.LOG_FILE, sync: false, minLength: 4096 });
const app = Fastify({
  logger: { level: 'info', stream },
  logController: new LogController({ disableRequestLogging: true }),
  genReqId: () => randomUUID(),
});
const securityHeaders = {
  'content-security-policy': "default-src 'none';frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};
const countInMap = process.env.LIMITER !== 'plugin';
if (process.env.SHED === '1') await app.register(underPressure, { maxEventLoopDelay: 1000, maxHeapUsedBytes: 2 ** 31, retryAfter: 10 });
const tokens = new LRUCache({ max: 10000 });
tokens.set(process.env.AUTHORIZATION, { id: randomUUID() });
const counts = new Map();
const items = new LRUCache({ max: 1000 });
const now = new Date().toISOString();
items.set(process.env.ITEM_ID, { id: process.env.ITEM_ID, name: 'bench', description: null, createdAt: now, updatedAt: now });
const duration = new client.Histogram({ name: 'http_request_duration_seconds', help: 'latency', labelNames: ['method', 'route', 'status_code'] });
const series = duration.labels({ method: 'GET', route: '/v1/items/:id', status_code: 200 });
app.addHook('onRequest', (request, reply, done) => {
  reply.headers(securityHeaders);
  reply.header('x-request-id', request.id);
  const principal = tokens.get(request.headers.authorization);
  if (principal === undefined) return reply.code(401).send({ title: 'Unauthorized' });
  if (countInMap) {
    const count = (counts.get(principal.id) ?? 0) + 1;
    counts.set(principal.id, count);
    reply.header('x-ratelimit-limit', 100000000);
    reply.header('x-ratelimit-remaining', 100000000 - count);
    reply.header('x-ratelimit-reset', 60);
  }
  reply.header('cache-control', 'no-store');
  done();
});
if (!countInMap) {
  const keyGenerator = async (request) => {
    const principal = tokens.get(request.headers.authorization);
    return principal ? \`principal:\${principal.id}\` : request.ip;
  };
  await app.register(rateLimit, { max: 100000000, timeWindow: 60000, keyGenerator });
}
app.addHook('onResponse', (request, reply, done) => {
  series.observe(reply.elapsedTime / 1000);
  const { method, url } = request;
  request.log.info({ method, url, statusCode: reply.statusCode, responseTime: reply.elapsedTime }, 'request completed');
  done();
});
const nullableString = { type: ['string', 'null'] };
const Item = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, description: nullableString, createdAt: { type: 'string' }, updatedAt: { type: 'string' } } };
const params = { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] };
app.get('/v1/items/:id', { schema: { params, response: { 200: Item } } }, (request, reply) => {
  const item = items.get(request.params.id);
  if (item === undefined) return reply.code(404).send({ title: 'Not Found' });
  reply.send(item);
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
`;

// On a small machine the load generator and the server fight for cores; pinning
// each to its own core (when taskset is there) keeps both runs comparable.
const pinned = cpus().length >= 2 && spawnSync('taskset', ['--version']).status === 0;
const onCore = (core, command, args) =>
  pinned ? ['taskset', ['-c', String(core), command, ...args]] : [command, args];

async function startServer(args, cwd, env, logFile, core = 0) {
  const out = openSync(logFile, 'a');
  const [command, argv] = onCore(core, 'node', args);
  const child = spawn(command, argv, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
  const url = `http://127.0.0.1:${env.PORT}`;
  // Up to 20 s: on a busy machine a server takes a while to load.
  for (let i = 0; i < 200; i++) {
    // Exited (a port in use): what answers there is not this server.
    if (child.exitCode !== null) break;
    if ((await answers(`${url}/health/live`)) || (await answers(url))) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server ${args.join(' ')} did not start`);
}

/**
 * The autocannon report of 8 s (2 s quick) at 50 connections; every answer must be 2xx. A `body`
 * is sent with `[<id>]` replaced by a new UUID per request, so each POST makes a new item.
 *
 * Each run starts with 2 s (1 s quick) of the same load that is not counted, autocannon's warm-up:
 * a server just started runs its routes unoptimised at first, which made the first round of every
 * server lower than the next two, and a long route more than a hello world.
 */
function autocannonReport(url, headers = {}, { method = 'GET', body } = {}) {
  const options = {
    url,
    connections: 50,
    duration: Number(loadSeconds),
    warmup: { duration: warmupSeconds },
    headers,
    method,
    body,
  };
  const [command, argv] = onCore(1, 'node', [path.join(root, 'bench/load.mjs'), peers, JSON.stringify(options)]);
  const result = run(command, argv, { maxBuffer: 64 * 1024 * 1024 });
  const report = JSON.parse(result.stdout);
  if (report.non2xx > 0 || report.errors > 0) {
    throw new Error(`${url}: ${report.non2xx} responses were not 2xx, ${report.errors} errors`);
  }
  if (report.requests.total === 0) throw new Error(`${method} ${url}: no request was answered`);
  return report;
}

const autocannon = (url, headers, request) => autocannonReport(url, headers, request).requests.average;

/**
 * A monitoring choice measured against `--monitoring none`, on the probe every project has and
 * on an authenticated cached item read. Tracing leaves the probes out, so only the read shows
 * what a traced request costs: with no endpoint (nothing starts), and exporting to a local OTLP
 * sink every span (the default sampler), one trace in ten, or none (the sampler off).
 */
const monitoringVariants = [
  { name: 'none', args: ['--monitoring', 'none'] },
  { name: 'prometheus', args: ['--monitoring', 'prometheus'] },
  { name: 'elk', args: ['--monitoring', 'elk'] },
  { name: 'opentelemetry', args: ['--monitoring', 'opentelemetry'] },
  {
    name: 'opentelemetry exporting',
    label: '`--monitoring opentelemetry` exporting every span',
    project: 'opentelemetry',
    exporting: true,
  },
  // What a request pays while tracing is on whether or not its trace is kept: most of the price.
  {
    name: 'opentelemetry one in ten',
    label: '`--monitoring opentelemetry` exporting one trace in ten',
    project: 'opentelemetry',
    exporting: true,
    env: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
  },
  {
    name: 'opentelemetry sampler off',
    label: '`--monitoring opentelemetry` with an endpoint and no trace kept (`always_off`)',
    project: 'opentelemetry',
    exporting: true,
    env: { OTEL_TRACES_SAMPLER: 'always_off' },
  },
];

// Answers every OTLP/HTTP export, as a collector would; on the load generator's core.
const otlpSink = `import { createServer } from 'node:http';
createServer((request, response) => {
  request.resume();
  request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
}).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

/**
 * Renders the variants beside the installed default project and builds them on the default's
 * node_modules, with whatever dependencies the variants add installed there too, in one
 * install (a second `npm install --no-save` would remove what the first added): one native
 * build instead of one per variant.
 */
function prepareVariants(work, installed, variants) {
  const dirs = variants.map((variant) => {
    const dir = path.join(work, `monitoring-${variant.name}`);
    run('node', [cli, dir, '--yes', '--no-install', '--no-git', ...variant.args], { cwd: work });
    return dir;
  });
  const missing = new Set(
    dirs.flatMap((dir) =>
      Object.entries(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies)
        .filter(([name]) => !existsSync(path.join(installed, 'node_modules', name)))
        .map(([name, range]) => `${name}@${range}`),
    ),
  );
  if (missing.size > 0) run('npm', ['install', '--no-save', '--no-audit', '--no-fund', ...missing], { cwd: installed });
  for (const dir of dirs) {
    symlinkSync(path.join(installed, 'node_modules'), path.join(dir, 'node_modules'));
    run('node', [path.join(installed, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: dir });
    run('node', ['scripts/db-migrate.js'], { cwd: dir });
  }
  return Object.fromEntries(variants.map((variant, index) => [variant.name, dirs[index]]));
}

/** Ports nothing listens on now: another run of this script may hold fixed ones. */
async function freePorts(count) {
  const servers = Array.from({ length: count }, () => createServer().listen(0, '127.0.0.1'));
  await Promise.all(servers.map((server) => once(server, 'listening')));
  const ports = servers.map((server) => String(server.address().port));
  for (const server of servers) server.close();
  return ports;
}

/** The NestJS starter's hello world, installed and built as its README says (`node dist/main`). */
function prepareNestStarter(work) {
  const cwd = path.join(work, 'nest');
  mkdirSync(cwd);
  generators['nest-starter'](cwd);
  const dir = path.join(cwd, 'app');
  run('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'ignore' });
  run('npm', ['run', 'build'], { cwd: dir, stdio: 'ignore' });
  return dir;
}

async function benchServer() {
  const work = mkdtempSync(path.join(tmpdir(), 'csb-bench-server-'));
  const nestDir = prepareNestStarter(work);
  run('node', [cli, 'app', '--yes', '--no-git'], { cwd: work, stdio: 'inherit' });
  const app = path.join(work, 'app');
  run('npm', ['run', 'build'], { cwd: app, stdio: 'inherit' });
  run('npm', ['run', 'db:migrate'], { cwd: app, stdio: 'inherit' });
  writeFileSync(path.join(app, 'bare.mjs'), bareServer);
  writeFileSync(path.join(app, 'bare-logged.mjs'), bareLoggedServer);
  writeFileSync(path.join(app, 'lean-read.mjs'), leanReadServer);
  const dirs = prepareVariants(
    work,
    app,
    monitoringVariants.filter((variant) => variant.project === undefined),
  );
  const [generatedPort, barePort, variantPort, sinkPort, nestPort] = await freePorts(5);
  const variants = monitoringVariants.map((variant) => {
    const dir = dirs[variant.project ?? variant.name];
    // The node arguments of its start script: `--import ./dist/instrumentation.js` when it traces.
    const start = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))
      .scripts.start.split(' ')
      .slice(1);
    return { ...variant, dir, start };
  });
  const sink = await startServer(
    ['--input-type=module', '-e', otlpSink],
    work,
    { PORT: sinkPort },
    path.join(work, 'sink.log'),
    1,
  );
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    RATE_LIMIT_MAX: '100000000',
    JWT_SECRET: 'bench-only-secret-0123456789abcdef0123456789',
  };
  const live = [];
  const cached = [];
  const created = [];
  const bare = [];
  const bareLogged = [];
  const leanRead = [];
  const leanReadLimited = [];
  const leanReadShed = [];
  const nest = [];
  const monitoring = Object.fromEntries(monitoringVariants.map(({ name }) => [name, { live: [], read: [] }]));
  const stop = async (child) => {
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  for (let round = 0; round < rounds; round++) {
    const generated = await startServer(
      ['dist/server.js'],
      app,
      { ...env, PORT: generatedPort },
      path.join(work, 'server.log'),
    );
    live.push(autocannon(`http://127.0.0.1:${generatedPort}/health/live`));
    const item = await cachedItem(`http://127.0.0.1:${generatedPort}`, round);
    cached.push(autocannon(item.url, { authorization: item.authorization }));
    const post = { method: 'POST', body: `{"name":"bench ${round} [<id>]"}` };
    const headers = { authorization: item.authorization, 'content-type': 'application/json' };
    created.push(autocannon(`http://127.0.0.1:${generatedPort}/v1/items`, headers, post));
    await stop(generated);
    const hello = await startServer(['bare.mjs'], app, { PORT: barePort }, path.join(work, 'bare.log'));
    bare.push(autocannon(`http://127.0.0.1:${barePort}/`));
    await stop(hello);
    const logged = await startServer(
      ['bare-logged.mjs'],
      app,
      { PORT: barePort, LOG_FILE: path.join(work, `bare-logged-${round}.log`) },
      path.join(work, 'bare-logged.out'),
    );
    bareLogged.push(autocannon(`http://127.0.0.1:${barePort}/`));
    await stop(logged);
    const itemId = randomUUID();
    for (const [limiter, figures, shed] of [
      ['map', leanRead],
      ['plugin', leanReadLimited],
      ['plugin', leanReadShed, '1'],
    ]) {
      const lean = await startServer(
        ['lean-read.mjs'],
        app,
        {
          PORT: barePort,
          LOG_FILE: path.join(work, `lean-read-${limiter}${shed ? '-shed' : ''}-${round}.log`),
          AUTHORIZATION: item.authorization,
          ITEM_ID: itemId,
          LIMITER: limiter,
          SHED: shed ?? '',
        },
        path.join(work, 'lean-read.out'),
      );
      figures.push(
        autocannon(`http://127.0.0.1:${barePort}/v1/items/${itemId}`, { authorization: item.authorization }),
      );
      await stop(lean);
    }
    const starter = await startServer(
      ['dist/main'],
      nestDir,
      { NODE_ENV: 'production', PORT: nestPort },
      path.join(work, 'nest.log'),
    );
    nest.push(autocannon(`http://127.0.0.1:${nestPort}/`));
    await stop(starter);
    for (const variant of variants) {
      const server = await startServer(
        variant.start,
        variant.dir,
        {
          ...env,
          ...(variant.exporting && { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}` }),
          ...variant.env,
          PORT: variantPort,
        },
        path.join(work, `${variant.name}.log`),
      );
      const base = `http://127.0.0.1:${variantPort}`;
      monitoring[variant.name].live.push(autocannon(`${base}/health/live`));
      const read = await cachedItem(base, `${round}-${variant.name.replaceAll(' ', '-')}`);
      monitoring[variant.name].read.push(autocannon(read.url, { authorization: read.authorization }));
      await stop(server);
    }
  }
  await stop(sink);
  rmSync(work, { recursive: true, force: true });
  const ratio = (values) =>
    `${(median(values) / median(bare)).toFixed(2)}× bare, ${(median(values) / median(nest)).toFixed(2)}× NestJS`;
  rows.push(['bare Fastify hello world, req/s', median(bare).toFixed(0), '1.00×', 'peer']);
  const peer = (label, values, target = 'peer') =>
    rows.push([label, median(values).toFixed(0), `${(median(values) / median(bare)).toFixed(2)}× bare`, target]);
  peer(
    'bare Fastify hello world with one access line per request (pino at info, to a file), req/s',
    bareLogged,
    'peer: what the access line alone costs',
  );
  peer(
    'the generated read written by hand in one file, each part done the leanest way (`lean-read.mjs`), req/s',
    leanRead,
    'peer: how near any such read can come to bare',
  );
  peer('the same, counting with @fastify/rate-limit as the generated project does, req/s', leanReadLimited);
  peer(
    'the same, with @fastify/under-pressure checking every request as well (the same libraries as the generated read), req/s',
    leanReadShed,
  );
  peer('NestJS starter hello world (`node dist/main`), req/s', nest);
  rows.push([
    'generated `GET /health/live` (logs at info to a file; probes are not access-logged), req/s',
    median(live).toFixed(0),
    ratio(live),
    '≥ 0.80× bare (issue 26)',
  ]);
  rows.push([
    'generated authenticated cached `GET /v1/items/:id`, req/s',
    median(cached).toFixed(0),
    ratio(cached),
    '≥ 2.5× NestJS; ≥ 0.83× the peer with the same libraries (≤ 1.2× its CPU; issue 26)',
  ]);
  rows.push([
    'generated authenticated `POST /v1/items` (SQLite), req/s',
    median(created).toFixed(0),
    ratio(created),
    'none set',
  ]);
  const targets = {
    prometheus: '≤ 10%',
    elk: 'none set',
    opentelemetry: 'next to nothing',
    'opentelemetry exporting': '≤ 25%',
    'opentelemetry one in ten': '≤ 10%',
    'opentelemetry sampler off': 'none set',
  };
  // The probe has no access line; the read is logged like any API request.
  const routes = { live: '`GET /health/live`', read: 'cached `GET /v1/items/:id`' };
  for (const [route, label] of Object.entries(routes)) {
    const none = median(monitoring.none[route]);
    rows.push([`\`--monitoring none\`, ${label}, req/s`, none.toFixed(0), '1.00×', 'baseline']);
    for (const variant of monitoringVariants.slice(1)) {
      const rps = median(monitoring[variant.name][route]);
      const cost = `${((1 - rps / none) * 100).toFixed(0)}% cost`;
      const choice = variant.label ?? `\`--monitoring ${variant.name}\``;
      rows.push([`${choice}, ${label}, req/s`, rps.toFixed(0), cost, targets[variant.name]]);
    }
  }
  for (const { name } of monitoringVariants) {
    const perRound = (route) => monitoring[name][route].map((rps) => rps.toFixed(0)).join(', ');
    process.stdout.write(`${name} req/s per round: live ${perRound('live')}; read ${perRound('read')}\n`);
  }
}

/**
 * A cached `GET /v1/items/:id` with Redis against the read it replaces: the same route with
 * `--cache none`, straight from SQLite. Both projects share one install.
 */
async function benchCache() {
  const work = mkdtempSync(path.join(tmpdir(), 'csb-bench-cache-'));
  run('node', [cli, 'cached', '--yes', '--no-git', '--cache', 'redis'], { cwd: work, stdio: 'inherit' });
  run('node', [cli, 'direct', '--yes', '--no-git', '--no-install', '--cache', 'none'], { cwd: work, stdio: 'inherit' });
  symlinkSync(path.join(work, 'cached/node_modules'), path.join(work, 'direct/node_modules'));
  for (const name of ['cached', 'direct']) {
    run('npm', ['run', 'build'], { cwd: path.join(work, name), stdio: 'inherit' });
    run('npm', ['run', 'db:migrate'], { cwd: path.join(work, name), stdio: 'inherit' });
  }
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    RATE_LIMIT_MAX: '100000000',
    JWT_SECRET: 'bench-only-secret-0123456789abcdef0123456789',
    REDIS_KEY_PREFIX: `bench:${Date.now()}:`,
  };
  const results = { cached: [], direct: [] };
  for (let round = 0; round < rounds; round++) {
    for (const [name, port] of [
      ['cached', '3103'],
      ['direct', '3104'],
    ]) {
      const server = await startServer(
        ['dist/server.js'],
        path.join(work, name),
        { ...env, PORT: port },
        path.join(work, `${name}.log`),
      );
      try {
        const item = await cachedItem(`http://127.0.0.1:${port}`, round);
        results[name].push(autocannonReport(item.url, { authorization: item.authorization }));
      } finally {
        server.kill('SIGTERM');
        await once(server, 'exit');
      }
    }
  }
  rmSync(work, { recursive: true, force: true });
  for (const [name, reports] of Object.entries(results)) {
    process.stdout.write(`${name} req/s per round: ${reports.map((report) => report.requests.average).join(', ')}\n`);
  }
  const rps = (name) => median(results[name].map((report) => report.requests.average));
  const p50 = (name) => median(results[name].map((report) => report.latency.p50));
  rows.push([
    'authenticated `GET /v1/items/:id` from SQLite (`--cache none`), req/s',
    `${rps('direct').toFixed(0)} (p50 ${p50('direct')} ms)`,
    '1.00×',
    'baseline',
  ]);
  rows.push([
    'the same read cached in Redis (`--cache redis`), req/s',
    `${rps('cached').toFixed(0)} (p50 ${p50('cached')} ms)`,
    `${(rps('cached') / rps('direct')).toFixed(2)}×`,
    '≥ 1.00×',
  ]);
}

/**
 * Authenticated `POST /v1/items` on the default project's SQLite file, once with each
 * SQLITE_SYNCHRONOUS value, in interleaved rounds (the order turns each round, so that a drift
 * of the machine favours neither): what waiting for an fsync on every commit costs a write.
 * The file is on the temporary directory's disk, which must be a real one: on a tmpfs an fsync
 * costs nothing.
 */
async function benchWrites() {
  // More rounds than the other parts: how long an fsync takes varies with the disk's other traffic.
  const writeRounds = quick ? 1 : 5;
  const work = mkdtempSync(path.join(tmpdir(), 'csb-bench-writes-'));
  run('node', [cli, 'app', '--yes', '--no-git'], { cwd: work, stdio: 'inherit' });
  const app = path.join(work, 'app');
  run('npm', ['run', 'build'], { cwd: app, stdio: 'inherit' });
  run('npm', ['run', 'db:migrate'], { cwd: app, stdio: 'inherit' });
  const [port] = await freePorts(1);
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    RATE_LIMIT_MAX: '100000000',
    JWT_SECRET: 'bench-only-secret-0123456789abcdef0123456789',
    PORT: port,
  };
  const created = { full: [], normal: [] };
  for (let round = 0; round < writeRounds; round++) {
    const settings = Object.keys(created);
    for (const setting of round % 2 ? settings.reverse() : settings) {
      const server = await startServer(
        ['dist/server.js'],
        app,
        { ...env, SQLITE_SYNCHRONOUS: setting },
        path.join(work, `${setting}.log`),
      );
      try {
        const base = `http://127.0.0.1:${port}`;
        const { authorization } = await cachedItem(base, `${round}-${setting}`);
        const post = { method: 'POST', body: `{"name":"bench ${round} ${setting} [<id>]"}` };
        const headers = { authorization, 'content-type': 'application/json' };
        created[setting].push(autocannon(`${base}/v1/items`, headers, post));
      } finally {
        server.kill('SIGTERM');
        await once(server, 'exit');
      }
    }
  }
  rmSync(work, { recursive: true, force: true });
  for (const [setting, figures] of Object.entries(created)) {
    process.stdout.write(`${setting} req/s per round: ${figures.map((rps) => rps.toFixed(0)).join(', ')}\n`);
  }
  const full = median(created.full);
  const normal = median(created.normal);
  rows.push(['authenticated `POST /v1/items`, `SQLITE_SYNCHRONOUS=full`, req/s', full.toFixed(0), '1.00×', 'baseline']);
  rows.push([
    'the same with `SQLITE_SYNCHRONOUS=normal` (the default), req/s',
    normal.toFixed(0),
    `${(normal / full).toFixed(2)}×`,
    '≥ 3×',
  ]);
}

installPeers();
if (!only || only === 'cli') benchCli();
if (!only || only === 'render') benchRender();
if (!only || only === 'footprint') benchFootprint();
if (!only || only === 'server') await benchServer();
if (!only || only === 'cache') await benchCache();
if (!only || only === 'writes') await benchWrites();

const toolVersion = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
const versions = [
  `Node ${process.version}`,
  `npm ${run('npm', ['--version']).stdout.trim()}`,
  `create-sound-backend ${toolVersion}`,
  ...Object.keys(peerVersions).map((name) => `${name} ${installedVersion(peers, name)}`),
].join(', ');
const table = [
  '| measure | median | ratio | target |',
  '|---|---|---|---|',
  ...rows.map((row) => `| ${row.join(' | ')} |`),
].join('\n');
const placement = pinned ? 'server on core 0, autocannon on core 1' : 'server and autocannon unpinned';
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`;
const report = `# Benchmarks\n\nMachine: ${machine}; ${versions}; ${new Date().toISOString().slice(0, 10)}; ${placement}; load average ${loadavg()
  .map((load) => load.toFixed(1))
  .join(' ')} at the end.\n\n${table}\n`;
process.stdout.write(`${report}\n`);
if (resultsFile) writeFileSync(resultsFile, report);
