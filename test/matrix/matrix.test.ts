import { once } from 'node:events';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { choiceKinds } from '../../src/catalogue.js';
import { type DatabaseServer, otlpReceiver, startIdentityProvider, startServer, unreachable } from '../e2e/project.js';
import { runCli, scratchDir } from '../helpers.js';
import { lintOpenApi } from '../openapi/lint.js';
import { nodeOfProject, projectEnv, projectNodeVersion } from '../project-node.js';
import { catalogueMatrix, flagsOf, labelOf, refusedExamples } from './catalogue-matrix.js';
import { externalChecks, SkippedStep } from './external-checks.js';
import type { Combination } from './pairwise.js';
import { resultsFile } from './print-results.js';
import { emptySections, templateLeftovers, unusedDependencies, unusedFiles } from './quality.js';

// npm run test:matrix: every combination of the pairwise set is rendered, installed, checked for
// quality, typechecked, linted, tested against the real servers it needs, built, started and asked
// for /health/ready and /docs/json, whose OpenAPI document two linters check; every rule the tool
// enforces on choices is shown refusing an example.

/** The servers a value needs; the generated tests read the URL from the environment. */
const servers: Record<string, DatabaseServer & { env: Record<string, string> }> = {
  postgres: {
    name: 'PostgreSQL',
    port: 5432,
    url: 'postgres://postgres@127.0.0.1:5432/test',
    env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' },
  },
  mysql: {
    name: 'MariaDB',
    port: 3306,
    url: 'mysql://root@127.0.0.1:3306/test',
    env: { DATABASE_URL: 'mysql://root@127.0.0.1:3306/test' },
  },
  redis: { name: 'Redis', port: 6379, url: 'redis://127.0.0.1:6379', env: { REDIS_URL: 'redis://127.0.0.1:6379' } },
  memcached: {
    name: 'Memcached',
    port: 11211,
    url: '127.0.0.1:11211',
    env: { MEMCACHED_SERVERS: '127.0.0.1:11211' },
  },
};

interface Row {
  index: number;
  combination: string;
  step: string;
  result: 'ok' | 'FAIL' | 'skipped';
  seconds: number;
}

const started = Date.now();
const set = catalogueMatrix();
const rows: Row[] = [];
/** `MATRIX_ONLY=1,4` runs those combinations of the set only (numbered from 1), to chase one failure. */
const only = process.env.MATRIX_ONLY?.split(',').map(Number);
/** Where the projects are made: one scratch folder for the run, made when the first one starts. */
let projects: string | undefined;
const plain = { NO_COLOR: '1', FORCE_COLOR: '0' };
/** The Node every project runs on (SOUND_PROJECT_NODE, else the one running the tests). */
const nodeVersion = projectNodeVersion();

/** Runs a command in the project, on the project's Node; fails with its output. */
async function sh(dir: string, command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const result = await execa(command, args, {
    cwd: dir,
    reject: false,
    all: true,
    env: projectEnv({ ...plain, ...env }),
  });
  if (result.exitCode !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.exitCode}:\n${essentials(result.all ?? '')}`);
  }
  return result.all ?? '';
}

/** What explains a failure: vitest's failed tests when it names them, else the last lines. */
function essentials(output: string): string {
  const failed = output.indexOf('Failed Tests');
  return failed >= 0 ? output.slice(failed) : output.slice(-6_000);
}

const noFindings = (check: string, findings: string[]) => {
  if (findings.length > 0) throw new Error(`${check}:\n${findings.join('\n')}`);
};

/** Runs the project's own TypeScript with its tsx: the test helpers that make and drop databases. */
const inProject = (dir: string, code: string, env: Record<string, string>) =>
  sh(dir, 'node', ['--import', 'tsx', '--input-type=module', '-e', code], env);

/** The request a traced project is asked, and whether it reaches the database before answering. */
function tracedRequest(combination: Combination): { headers: Record<string, string>; queries: boolean } {
  const auth = combination[1] ?? [];
  // A well-formed key that was never issued: looking it up is a query, then 401.
  if (auth.includes('apikey'))
    return { headers: { 'x-api-key': `sk_${'0'.repeat(12)}_${'A'.repeat(43)}` }, queries: true };
  // Without auth the list is read; a JWT or OAuth2 project answers 401 before any query.
  return { headers: {}, queries: auth.includes('none') };
}

/**
 * Migrates a database of its own, starts the built project with its `start` script's node command
 * (as the image runs it), expects /health/ready 200 and, when it traces, the spans of a request at
 * a stand-in collector, runs `whileUp` with its URL, then stops it with SIGTERM and expects exit 0.
 * Returns the OpenAPI document the running server served at /docs/json.
 */
async function serve(
  dir: string,
  env: Record<string, string>,
  combination: Combination,
  whileUp: (url: string) => Promise<void>,
): Promise<unknown> {
  const values = combination.flat();
  let database = '';
  let url = env.DATABASE_URL ?? '';
  if (values.includes('postgres') || values.includes('mysql')) {
    url = await inProject(
      dir,
      `const { createTestDatabase } = await import('./test/database.ts'); process.stdout.write((await createTestDatabase()).url);`,
      env,
    );
    database = new URL(url).pathname.slice(1);
  }
  // OAuth2 settings are checked at start (no defaults: the service cannot guess its provider).
  const provider = values.includes('oauth2') ? await startIdentityProvider() : undefined;
  const collector = values.includes('opentelemetry') ? await otlpReceiver() : undefined;
  const runEnv = {
    ...env,
    ...(url ? { DATABASE_URL: url } : {}),
    ...provider?.env,
    ...(collector && { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '100' }),
    NODE_ENV: 'production',
    JWT_SECRET: 'a-matrix-secret-of-at-least-32-characters',
    REDIS_KEY_PREFIX: `matrix:${process.pid}:${Date.now()}:`,
  };
  try {
    await sh(dir, 'npm', ['run', 'db:migrate'], runEnv);
    const app = await startServer(dir, runEnv);
    let failure: Error | undefined;
    let document: unknown;
    try {
      // Live is not ready: the database and cache connections may still be opening.
      let status = 0;
      for (let attempt = 0; attempt < 100 && status !== 200; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
        status = (await fetch(`${app.url}/health/ready`)).status;
      }
      if (status !== 200) throw new Error(`/health/ready answered ${status}`);
      const docs = await fetch(`${app.url}/docs/json`);
      if (docs.status !== 200) throw new Error(`/docs/json answered ${docs.status}`);
      document = await docs.json();
      if (collector) {
        // The built dist/instrumentation.js, loaded by the start script, traces a request by route.
        const { headers, queries } = tracedRequest(combination);
        await fetch(`${app.url}/v1/items`, { headers });
        const server = await collector.span((span) => span.name === 'GET /v1/items');
        if (queries) {
          await collector.span(
            (span) =>
              span.traceId === server.traceId &&
              span.spanId !== server.spanId &&
              (span.attributes ?? []).some((attribute) => attribute.key === 'db.system.name'),
          );
        }
      }
      await whileUp(app.url);
    } catch (error) {
      failure = error as Error;
    }
    app.child.kill('SIGTERM');
    const [code] = app.child.exitCode === null ? await once(app.child, 'exit') : [app.child.exitCode];
    if (failure) throw new Error(`${failure.message}\n${app.output()}`);
    if (code !== 0) throw new Error(`SIGTERM: the server exited ${code}:\n${app.output()}`);
    return document;
  } finally {
    await provider?.close();
    await collector?.close();
    if (database)
      await inProject(dir, `await (await import('./test/server.ts')).onServer('DROP DATABASE ${database}');`, env);
  }
}

/** Every server the combination needs, or why it cannot run here (skipped unless SOUND_REQUIRE_SERVICES). */
async function needs(combination: Combination) {
  const wanted = combination.flat().flatMap((value) => (servers[value] ? [servers[value]] : []));
  for (const server of wanted) {
    const reason = await unreachable(server);
    if (reason) return { reason, env: {} };
  }
  return { reason: '', env: Object.assign({}, ...wanted.map((server) => server.env)) as Record<string, string> };
}

/** A step's name, the steps it needs, and what it does. */
type Step = [string, string[], () => Promise<unknown>];

const shopModel = path.resolve('test/fixtures/shop-model.yaml');

async function runCombination(index: number, combination: Combination, env: Record<string, string>) {
  const label = labelOf(combination);
  const name = `matrix-${String(index).padStart(2, '0')}`;
  projects ??= scratchDir('csb-matrix-');
  const cwd = projects;
  const dir = path.join(cwd, name);
  const database = combination.flat().find((value) => value === 'postgres' || value === 'mysql');
  const serverDatabase = database !== undefined;
  // The first combination on each server database grows by a model of four typed resources
  // (test/fixtures/shop-model.yaml); the others by one resource without fields.
  const modelled =
    database !== undefined && set.combinations.findIndex((each) => each.flat().includes(database)) + 1 === index;
  const ci = combination.flat().includes('github');
  const served = 'start, /health/ready, traces, SIGTERM';
  const external = externalChecks(dir, combination, served);
  let document: unknown;
  // Each step with the steps it needs: a failed test does not stop the build, the start or the checks.
  const steps: Step[] = [
    [
      'render',
      [],
      async () => {
        const result = await runCli([name, '--yes', '--no-git', '--no-install', ...flagsOf(combination)], {
          cwd,
          all: true,
        });
        if (result.exitCode !== 0) throw new Error(`exit ${result.exitCode}:\n${result.all}`);
      },
    ],
    // npm, what it runs and the server all find this Node: the proof of what the project ran on.
    [`on Node ${nodeVersion}`, ['render'], () => nodeOfProject(dir)],
    ['no template leftovers', ['render'], async () => noFindings('template syntax', templateLeftovers(dir))],
    ['no empty sections', ['render'], async () => noFindings('empty sections', emptySections(dir))],
    ['no unused files', ['render'], async () => noFindings('unused files', unusedFiles(dir))],
    ...external.files,
    // On a server database a resource is added too: its migration is derived per dialect, and the
    // drift test, the migration and its own tests run below (no new dependency, so one install).
    ...(serverDatabase
      ? [
          [
            modelled ? 'add resources (shop model)' : 'add resource orders',
            ['render'],
            async () => {
              const added = await runCli(
                [...(modelled ? ['add', 'resources', shopModel] : ['add', 'resource', 'orders']), '--cwd', dir],
                { all: true },
              );
              if (added.exitCode !== 0) throw new Error(`exit ${added.exitCode}:\n${added.all}`);
            },
          ] as Step,
        ]
      : []),
    // One npm cache for every install: what an earlier install fetched is not fetched again.
    ['install', ['render'], () => sh(dir, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'])],
    ['no unused dependencies', ['install'], async () => noFindings('unused dependencies', unusedDependencies(dir))],
    // The model's tables are drizzle-kit's to migrate, which was not installed when they were added.
    ...(modelled ? [['db:generate', ['install'], () => sh(dir, 'npm', ['run', 'db:generate'])] as Step] : []),
    ['formatted', ['install'], () => sh(dir, 'node_modules/.bin/biome', ['format', '.'])],
    ['typecheck', ['install'], () => sh(dir, 'npm', ['run', 'typecheck'])],
    ['lint', ['install'], () => sh(dir, 'npm', ['run', 'lint'])],
    [
      'test',
      ['install'],
      async () => {
        const output = await sh(dir, 'npm', ['run', 'test'], env);
        // Vitest's summary, e.g. `Tests  101 passed (101)`: a skipped or failed test would be named in it.
        if (!/^\s*Tests\s+\d+ passed \(\d+\)\s*$/m.test(output)) throw new Error(`tests skipped or failed:\n${output}`);
        const resources = modelled ? ['customers', 'products', 'orders', 'order-lines', 'reviews'] : ['orders'];
        const expected = serverDatabase
          ? [
              'test/database-outage.test.ts',
              'test/replicas.test.ts',
              ...resources.map((name) => `test/${name}.test.ts`),
            ]
          : [];
        const missing = expected.filter((file) => !output.includes(file));
        if (missing.length > 0) throw new Error(`these test files did not run: ${missing.join(', ')}\n${output}`);
      },
    ],
    ['build', ['install'], () => sh(dir, 'npm', ['run', 'build'])],
    // The gate its own CI workflow sets: the score these options earn, so it fails only on a slip.
    ...(ci
      ? [
          [
            'doctor at the CI gate',
            ['install'],
            async () => {
              const workflow = readFileSync(path.join(dir, '.github/workflows/ci.yml'), 'utf8');
              const minScore = /doctor --min-score (\d+)/.exec(workflow)?.[1];
              const expected = combination.flat().includes('prometheus') ? '100' : '96';
              if (minScore !== expected) throw new Error(`the workflow's gate is ${minScore}, expected ${expected}`);
              const doctor = await runCli(['doctor', dir, '--no-audit', '--min-score', minScore], { all: true });
              if (doctor.exitCode !== 0) throw new Error(`exit ${doctor.exitCode}:\n${doctor.all}`);
            },
          ] as Step,
        ]
      : []),
    [
      served,
      ['build'],
      async () => {
        document = await serve(dir, env, combination, external.whileUp);
      },
    ],
    ...external.live,
    // The served document, as a client gets it, against Redocly's recommended rules and the OWASP
    // API Security ruleset (test/openapi/): no error and no warning.
    [
      '/docs/json: Redocly and Spectral OWASP',
      [served],
      async () => {
        const open = (combination[choiceKinds.indexOf('auth')] ?? []).includes('none');
        noFindings('OpenAPI lint', await lintOpenApi(document, { open }));
      },
    ],
  ];
  const failures: string[] = [];
  const passed = new Set<string>();
  for (const [step, needed, run] of steps) {
    if (!needed.every((name) => passed.has(name))) {
      rows.push({ index, combination: label, step, result: 'skipped', seconds: 0 });
      continue;
    }
    const start = Date.now();
    let result: Row['result'] = 'ok';
    let shown = step;
    try {
      await run();
      passed.add(step);
    } catch (error) {
      if (error instanceof SkippedStep) {
        result = 'skipped';
        shown = `${step} (${error.message})`;
      } else {
        result = 'FAIL';
        failures.push(`${step} failed:\n${(error as Error).message}`);
      }
    }
    const seconds = (Date.now() - start) / 1000;
    rows.push({ index, combination: label, step: shown, result, seconds });
    // Progress as it happens: a whole run takes many minutes.
    process.stderr.write(`matrix ${index}: ${shown} ${result} ${seconds.toFixed(1)} s\n`);
  }
  if (failures.length > 0) throw new Error(`${label} (project kept in ${dir}):\n${failures.join('\n\n')}`);
  rmSync(dir, { recursive: true, force: true });
}

describe(`pairwise matrix of ${set.combinations.length} combinations`, async () => {
  const picked = set.combinations
    .map((combination, i) => ({ combination, index: i + 1 }))
    .filter(({ index }) => only === undefined || only.includes(index));
  const prepared = [];
  for (const entry of picked) prepared.push({ ...entry, ...(await needs(entry.combination)) });
  for (const { combination, index, reason, env } of prepared) {
    (reason ? it.skip : it.concurrent)(
      `${index}. ${labelOf(combination)}${reason ? ` (skipped: ${reason})` : ''}`,
      () => runCombination(index, combination, env),
    );
  }
});

describe('combinations the tool refuses: exit 2, the reason, nothing written', () => {
  for (const example of refusedExamples()) {
    it(`${example.rule}: ${example.flags.join(' ')}`, async () => {
      const start = Date.now();
      const dir = scratchDir('csb-matrix-refused-');
      const result = await runCli(['app', '--yes', '--no-git', '--no-install', ...example.flags], { cwd: dir });
      const ok = result.exitCode === 2 && result.stderr.includes(example.reason) && readdirSync(dir).length === 0;
      rows.push({
        index: 0,
        combination: `${example.flags.join(' ')} (${example.rule})`,
        step: 'refused with exit 2 and the reason',
        result: ok ? 'ok' : 'FAIL',
        seconds: (Date.now() - start) / 1000,
      });
      const written = readdirSync(dir);
      rmSync(dir, { recursive: true, force: true });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(example.reason);
      expect(written).toEqual([]);
    });
  }
});

afterAll(() => {
  const sorted = [...rows].sort((a, b) => a.index - b.index);
  const table = [
    '| # | combination | step | result | seconds |',
    '|---|---|---|---|---|',
    ...sorted.map(
      (row) => `| ${row.index || '–'} | ${row.combination} | ${row.step} | ${row.result} | ${row.seconds.toFixed(1)} |`,
    ),
  ].join('\n');
  const failed = rows.filter((row) => row.result === 'FAIL').length;
  const summary = [
    `${set.combinations.length} combinations cover the ${set.pairs.length} pairs of choices of different kinds`,
    `(refused by the tool, so left out: ${set.refusedPairs.join(', ') || 'none'});`,
    `${rows.filter((row) => row.index > 0 && row.step === 'render').length} run here,`,
    `${process.env.MATRIX_CONCURRENCY ?? 2} at a time; ${failed} failed steps;`,
    `${((Date.now() - started) / 60_000).toFixed(1)} minutes in all.`,
    `The projects ran on Node ${nodeVersion}, the tool on Node ${process.version}.`,
  ].join(' ');
  const report = `# Matrix results\n\n${summary}\n\n${table}\n`;
  writeFileSync(resultsFile, report);
});
