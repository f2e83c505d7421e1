import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { sha256 } from '../../src/changes.js';
import { nodeStep } from '../../src/create.js';
import { listFiles, runCli, scratchDir } from '../helpers.js';
import {
  authFiles,
  baseFiles,
  cacheFiles,
  dockerFiles,
  elkFiles,
  githubFiles,
  opentelemetryFiles,
  prometheusFiles,
  sqliteFiles,
} from './file-lists.js';

const quiet = ['--no-install', '--no-git'];

const sorted = (files: string[]) => [...files].sort();
const allOff = ['--auth', 'none', '--cache', 'none', '--monitoring', 'none', '--deploy', 'none', '--ci', 'none'];

async function generate(args: string[]) {
  const cwd = scratchDir();
  const result = await runCli(['app', ...args, ...quiet], { cwd });
  expect(result.exitCode, result.stderr).toBe(0);
  return { dir: path.join(cwd, 'app'), result };
}

describe('the files of each preset', () => {
  it('default (--yes): base, SQLite, JWT, memory cache, Prometheus, Docker, GitHub Actions', async () => {
    const { dir } = await generate(['--yes']);
    expect(listFiles(dir)).toEqual(
      sorted([
        ...baseFiles,
        ...sqliteFiles,
        ...authFiles,
        ...cacheFiles.memory,
        ...prometheusFiles,
        ...dockerFiles,
        ...githubFiles,
      ]),
    );
  });

  it('monitoring elk only: ECS logs and Filebeat, no metrics', async () => {
    const { dir } = await generate(['--yes', '--monitoring', 'elk']);
    expect(listFiles(dir)).toEqual(
      sorted([
        ...baseFiles,
        ...sqliteFiles,
        ...authFiles,
        ...cacheFiles.memory,
        ...elkFiles,
        ...dockerFiles,
        ...githubFiles,
      ]),
    );
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.dependencies).toHaveProperty('@elastic/ecs-pino-format');
    expect(pkg.dependencies).not.toHaveProperty('prom-client');
    expect(readFileSync(path.join(dir, 'src/plugins/logging.ts'), 'utf8')).toContain('ecsFormat');
    const compose = parseYaml(readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8'), { merge: true });
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['elasticsearch', 'kibana', 'filebeat']));
    expect(compose.services).not.toHaveProperty('prometheus');
    expect(compose.services.filebeat.volumes).toContain(
      './observability/filebeat/filebeat.yml:/usr/share/filebeat/filebeat.yml:ro',
    );
  });

  it('monitoring opentelemetry only: tracing loaded before the app, a collector and Jaeger in compose', async () => {
    const { dir } = await generate(['--yes', '--monitoring', 'opentelemetry']);
    expect(listFiles(dir)).toEqual(
      sorted([
        ...baseFiles,
        ...sqliteFiles,
        ...authFiles,
        ...cacheFiles.memory,
        ...opentelemetryFiles,
        ...dockerFiles,
        ...githubFiles,
      ]),
    );
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.scripts).toMatchObject({
      start: 'node --import ./dist/instrumentation.js dist/server.js',
      dev: 'tsx watch --import ./src/instrumentation.ts src/server.ts',
    });
    expect(pkg.dependencies).toHaveProperty('@opentelemetry/sdk-trace-node');
    expect(pkg.dependencies).not.toHaveProperty('prom-client');
    expect(readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toContain(
      'CMD ["node", "--import", "./dist/instrumentation.js", "dist/server.js"]',
    );
    expect(readFileSync(path.join(dir, '.env.example'), 'utf8')).toContain('\nOTEL_EXPORTER_OTLP_ENDPOINT=\n');
    const compose = parseYaml(readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8'), { merge: true });
    expect(Object.keys(compose.services)).toEqual(['migrate', 'api', 'otel-collector', 'jaeger']);
    expect(compose.services.api.environment.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel-collector:4318');
    expect(compose.services['otel-collector'].volumes).toEqual([
      './observability/otel-collector.yaml:/etc/otelcol-contrib/config.yaml:ro',
    ]);
    const collector = parseYaml(readFileSync(path.join(dir, 'observability/otel-collector.yaml'), 'utf8'));
    expect(collector.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
    expect(collector.exporters['otlp/jaeger'].endpoint).toBe('jaeger:4317');
    expect(collector.service.pipelines.traces).toMatchObject({ receivers: ['otlp'], exporters: ['otlp/jaeger'] });
  });

  it.each(['redis', 'memcached'] as const)('--cache %s with every other optional part off', async (cache) => {
    const { dir } = await generate(['--yes', ...allOff, '--cache', cache]);
    expect(listFiles(dir)).toEqual(sorted([...baseFiles, ...sqliteFiles, ...cacheFiles[cache]]));
  });

  it('every optional part off: only the base and SQLite', async () => {
    const { dir } = await generate(['--yes', ...allOff]);
    expect(listFiles(dir)).toEqual(sorted([...baseFiles, ...sqliteFiles]));
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.dependencies).not.toHaveProperty('prom-client');
    const app = readFileSync(path.join(dir, 'src/app.ts'), 'utf8');
    expect(app).not.toContain('metrics');
    expect(readFileSync(path.join(dir, 'src/plugins/logging.ts'), 'utf8')).not.toContain('ecs');
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    expect(readme).not.toMatch(/metrics|Docker|GitHub Actions/i);
  });
});

describe('what is written', () => {
  it('leaves no template syntax or escaped entities, and names the project', async () => {
    const { dir } = await generate(['--yes']);
    for (const file of listFiles(dir)) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      // The templating of the tools that read these files is meant to be there.
      const withoutTheirs = text
        .replaceAll(['$', '{{ matrix.node }}'].join(''), '')
        .replaceAll(/\{\{ ?\$labels\.\w+ ?\}\}/g, '') // Prometheus alert annotations
        .replaceAll(/"legendFormat": "[^"]*"/g, ''); // Grafana series names
      expect(withoutTheirs, file).not.toMatch(/\{\{|&#x|&amp;|&quot;|&lt;|&gt;/);
    }
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toMatch(/^# app\n/);
    expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))).toMatchObject({
      name: 'app',
      private: true,
      type: 'module',
      engines: { node: '>=22.12' },
    });
  });

  it('writes a compose file and a workflow that parse, with the service, its health check and the checks CI runs', async () => {
    const { dir } = await generate(['--yes']);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const compose = parseYaml(readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8'), { merge: true });
    expect(compose.services.api).toMatchObject({ build: '.', ports: ['3000:3000'], stop_grace_period: '15s' });
    expect(compose.volumes).toHaveProperty('data');
    expect(readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toMatch(/^HEALTHCHECK [\s\S]*\/health\/live/m);
    const workflow = parseYaml(readFileSync(path.join(dir, '.github/workflows/ci.yml'), 'utf8'));
    const steps = workflow.jobs.check.steps.map((step: { run?: string }) => step.run).filter(Boolean);
    expect(steps).toEqual([
      'npm ci',
      'npm run lint',
      'npm run typecheck',
      'npm run test',
      'npm run build',
      `npx --yes create-sound-backend@${pkg.version} doctor --min-score 100`,
    ]);
    // The Node the image runs, and the oldest line engines allows, both tested.
    expect(workflow.jobs.check.strategy.matrix.node).toEqual([22, 24]);
    expect(readFileSync(path.join(dir, 'Dockerfile'), 'utf8').match(/^FROM .*/gm)).toEqual([
      'FROM node:24-bookworm-slim AS build',
      'FROM node:24-bookworm-slim AS runtime',
    ]);
  });

  it('records the choices, the generator version and a hash of every file in sound-backend.json', async () => {
    const { dir } = await generate(['--yes']);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'sound-backend.json'), 'utf8'));
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(manifest).toMatchObject({
      generator: 'create-sound-backend',
      version: pkg.version,
      options: {
        db: 'sqlite',
        auth: ['jwt'],
        cache: 'memory',
        monitoring: ['prometheus'],
        deploy: ['docker'],
        ci: 'github',
        pm: 'npm',
      },
    });
    // Not .env: the user's secrets from the start, so add has no version of it to write.
    const files = listFiles(dir).filter((file) => file !== 'sound-backend.json' && file !== '.env');
    expect(Object.keys(manifest.files).sort()).toEqual(files);
    for (const file of files) expect(manifest.files[file], file).toBe(sha256(readFileSync(path.join(dir, file))));
  });

  it('writes the package manager the user runs into scripts, Dockerfile and workflow', async () => {
    const { dir } = await generate(['--yes', '--pm', 'pnpm']);
    expect(readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toContain('RUN pnpm install --frozen-lockfile');
    expect(readFileSync(path.join(dir, '.github/workflows/ci.yml'), 'utf8')).toContain('- run: pnpm test');
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toContain('pnpm db:migrate');
    expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).pnpm).toEqual({
      onlyBuiltDependencies: ['better-sqlite3', 'esbuild'],
    });
  });

  it('takes choices from a preset, with flags winning', async () => {
    const cwd = scratchDir();
    writeFileSync(
      path.join(cwd, 'preset.json'),
      JSON.stringify({ auth: 'none', cache: 'none', monitoring: ['none'], deploy: 'none', ci: 'github', git: false }),
    );
    const result = await runCli(['app', '--preset', 'preset.json', '--ci', 'none', '--no-install'], { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(listFiles(path.join(cwd, 'app'))).toEqual(sorted([...baseFiles, ...sqliteFiles]));
    expect(existsSync(path.join(cwd, 'app/.git'))).toBe(false);
  });

  it('with --force, adds the project beside files the user made', async () => {
    const cwd = scratchDir();
    mkdirSync(path.join(cwd, 'app'));
    writeFileSync(path.join(cwd, 'app/NOTES.txt'), 'mine');
    const result = await runCli(['app', '--yes', '--force', ...quiet], { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(path.join(cwd, 'app/NOTES.txt'), 'utf8')).toBe('mine');
    expect(existsSync(path.join(cwd, 'app/src/app.ts'))).toBe(true);
    expect(readdirSync(cwd)).toEqual(['app']);
  });
});

describe('the development .env', () => {
  const secretOf = (dir: string) => /^JWT_SECRET=(.*)$/m.exec(readFileSync(path.join(dir, '.env'), 'utf8'))?.[1];

  it('is .env.example with a random JWT_SECRET of its own per project, with --no-install --no-git too', async () => {
    const [first, second] = [(await generate(['--yes'])).dir, (await generate(['--yes'])).dir];
    const example = readFileSync(path.join(first, '.env.example'), 'utf8');
    expect(example).toMatch(/^JWT_SECRET=$/m);
    for (const dir of [first, second]) {
      const secret = secretOf(dir) ?? '';
      expect(secret.length).toBeGreaterThanOrEqual(32);
      expect(readFileSync(path.join(dir, '.env'), 'utf8')).toBe(
        example.replace(/^JWT_SECRET=$/m, `JWT_SECRET=${secret}`),
      );
      expect(statSync(path.join(dir, '.env')).mode & 0o077).toBe(0);
    }
    expect(secretOf(first)).not.toBe(secretOf(second));
  });

  it('is ignored by git and left out of the first commit', async () => {
    const cwd = scratchDir();
    const result = await runCli(['app', '--yes', '--no-install'], { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    const dir = path.join(cwd, 'app');
    const git = (args: string[]) => execa('git', args, { cwd: dir, reject: false });
    expect((await git(['check-ignore', '--quiet', '.env'])).exitCode).toBe(0);
    expect((await git(['check-ignore', '--quiet', '.env.example'])).exitCode).toBe(1);
    expect((await git(['ls-files'])).stdout.split('\n')).toEqual(expect.arrayContaining(['.env.example']));
    expect((await git(['ls-files', '.env'])).stdout).toBe('');
  });

  it('is named in the JSON summary and the dry run, its secret printed nowhere', async () => {
    const cwd = scratchDir();
    const result = await runCli(['app', '--yes', '--json', ...quiet], { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    const secret = secretOf(path.join(cwd, 'app')) ?? '';
    expect(JSON.parse(result.stdout).files).toContain('.env');
    expect(result.stderr).toMatch(/\.env holds a random JWT_SECRET for development/);
    expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
    const dry = await runCli(['dry', '--yes', '--dry-run'], { cwd });
    expect(dry.stdout).toMatch(/^ {2}\.env$/m);
    expect(dry.stdout).not.toMatch(/JWT_SECRET=/);
  });

  it('is not written without a secret to keep, nor over a .env the user has', async () => {
    expect(existsSync(path.join((await generate(['--yes', '--auth', 'apikey'])).dir, '.env'))).toBe(false);
    const cwd = scratchDir();
    mkdirSync(path.join(cwd, 'app'));
    writeFileSync(path.join(cwd, 'app/.env'), 'PORT=4000\n');
    const result = await runCli(['app', '--yes', '--force', '--json', ...quiet], { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(path.join(cwd, 'app/.env'), 'utf8')).toBe('PORT=4000\n');
    expect(JSON.parse(result.stdout).files).not.toContain('.env');
    expect(result.stderr).toMatch(/Kept your \.env: set JWT_SECRET in it/);
  });
});

describe('--dry-run and --json', () => {
  it('lists exactly the files a real run writes, and writes nothing', async () => {
    const cwd = scratchDir();
    const dry = await runCli(['app', '--yes', '--dry-run', '--json'], { cwd });
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
    const summary = JSON.parse(dry.stdout);
    expect(summary).toMatchObject({ dir: path.join(cwd, 'app'), dryRun: true, options: { db: 'sqlite', pm: 'npm' } });
    const { dir } = await generate(['--yes']);
    expect(summary.files).toEqual(listFiles(dir));
  });

  it('prints one JSON summary on stdout and the human text on stderr', async () => {
    const cwd = scratchDir();
    const result = await runCli(['app', '--yes', '--json', ...quiet], { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    // The machine's Node runs the tool: one step more where it is older than the project needs.
    const older = nodeStep(process.versions.node, false, 'npm');
    expect(summary.next).toEqual(['cd app', ...older, 'npm install', 'npm run db:migrate', 'npm run dev']);
    expect(result.stderr).toContain(`Next:\n${summary.next.map((step: string) => `  ${step}`).join('\n')}`);
    expect(summary.files).toContain('src/app.ts');
    expect(result.stderr).toContain('Created app');
  });
});

describe('a failing step', () => {
  it('exits 1, keeps the files and says how to finish by hand', async () => {
    const cwd = scratchDir();
    const bin = scratchDir('csb-bin-');
    writeFileSync(path.join(bin, 'pnpm'), '#!/bin/sh\necho "registry unreachable" >&2\nexit 1\n');
    chmodSync(path.join(bin, 'pnpm'), 0o755);
    const result = await runCli(['app', '--yes', '--pm', 'pnpm', '--no-git'], {
      cwd,
      env: { PATH: `${bin}${path.delimiter}${process.env.PATH}` },
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/pnpm install failed[\s\S]*finish by hand:\n\s+cd .*app\n\s+pnpm install/);
    expect(existsSync(path.join(cwd, 'app/package.json'))).toBe(true);
  });
});
