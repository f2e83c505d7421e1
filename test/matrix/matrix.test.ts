import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { type DatabaseServer, freePort, unreachable } from '../e2e/project.js';
import { repoRoot, runCli, scratchDir } from '../helpers.js';
import { catalogueMatrix, flagsOf, labelOf, refusedExamples } from './catalogue-matrix.js';
import type { Combination } from './pairwise.js';
import { emptySections, templateLeftovers, unusedDependencies, unusedFiles } from './quality.js';

// npm run test:matrix: every combination of the pairwise set is rendered, installed, checked for
// quality, typechecked, linted, tested against the real servers it needs, built, started and asked
// for /health/ready; every rule the tool enforces on choices is shown refusing an example.

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

/** Runs a command in the project; fails with its output. */
async function sh(dir: string, command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const result = await execa(command, args, { cwd: dir, reject: false, all: true, env: { ...plain, ...env } });
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

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  return code as number | null;
}

/** Migrates a database of its own, starts `node dist/server.js`, expects /health/ready 200, stops with SIGTERM. */
async function serve(dir: string, env: Record<string, string>, serverDatabase: boolean): Promise<void> {
  let database = '';
  let url = env.DATABASE_URL ?? '';
  if (serverDatabase) {
    url = await inProject(
      dir,
      `const { createTestDatabase } = await import('./test/database.ts'); process.stdout.write((await createTestDatabase()).url);`,
      env,
    );
    database = new URL(url).pathname.slice(1);
  }
  const runEnv = {
    ...env,
    ...(url ? { DATABASE_URL: url } : {}),
    NODE_ENV: 'production',
    JWT_SECRET: 'a-matrix-secret-of-at-least-32-characters',
    REDIS_KEY_PREFIX: `matrix:${process.pid}:${Date.now()}:`,
  };
  try {
    await sh(dir, 'npm', ['run', 'db:migrate'], runEnv);
    const port = await freePort();
    const child = spawn('node', ['dist/server.js'], {
      cwd: dir,
      env: { ...process.env, ...runEnv, HOST: '127.0.0.1', PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    let ready: Error | undefined;
    try {
      let status = 0;
      for (let attempt = 0; attempt < 150 && status !== 200; attempt++) {
        if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}:\n${output}`);
        status = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
          (response) => response.status,
          () => 0,
        );
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      if (status !== 200) ready = new Error(`/health/ready answered ${status}:\n${output}`);
    } catch (error) {
      ready = error as Error;
    }
    const code = await stop(child);
    if (ready) throw ready;
    if (code !== 0) throw new Error(`SIGTERM: the server exited ${code}:\n${output}`);
  } finally {
    if (database)
      await inProject(dir, `await (await import('./test/database.ts')).onServer('DROP DATABASE ${database}');`, env);
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

async function runCombination(index: number, combination: Combination, env: Record<string, string>) {
  const label = labelOf(combination);
  const name = `matrix-${String(index).padStart(2, '0')}`;
  projects ??= scratchDir('csb-matrix-');
  const cwd = projects;
  const dir = path.join(cwd, name);
  const serverDatabase = combination.flat().some((value) => value === 'postgres' || value === 'mysql');
  // Each step with the steps it needs: a failed test does not stop the build, the start or the checks.
  const steps: [string, string[], () => Promise<unknown>][] = [
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
    ['no template leftovers', ['render'], async () => noFindings('template syntax', templateLeftovers(dir))],
    ['no empty sections', ['render'], async () => noFindings('empty sections', emptySections(dir))],
    ['no unused files', ['render'], async () => noFindings('unused files', unusedFiles(dir))],
    // One npm cache for every install: what an earlier install fetched is not fetched again.
    ['install', ['render'], () => sh(dir, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'])],
    ['no unused dependencies', ['install'], async () => noFindings('unused dependencies', unusedDependencies(dir))],
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
      },
    ],
    ['build', ['install'], () => sh(dir, 'npm', ['run', 'build'])],
    ['start, /health/ready, SIGTERM', ['build'], () => serve(dir, env, serverDatabase)],
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
    try {
      await run();
      passed.add(step);
    } catch (error) {
      result = 'FAIL';
      failures.push(`${step} failed:\n${(error as Error).message}`);
    }
    const seconds = (Date.now() - start) / 1000;
    rows.push({ index, combination: label, step, result, seconds });
    // Progress as it happens: a whole run takes many minutes.
    process.stderr.write(`matrix ${index}: ${step} ${result} ${seconds.toFixed(1)} s\n`);
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
  ].join(' ');
  const report = `# Matrix results\n\n${summary}\n\n${table}\n`;
  writeFileSync(path.join(repoRoot, 'matrix-results.md'), report);
});
