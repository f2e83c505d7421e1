import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { listFiles, runCli, scratchDir } from '../helpers.js';
import {
  authFilesOf,
  baseFiles,
  cacheFiles,
  dockerFiles,
  githubFiles,
  prometheusFiles,
  serverDatabaseFiles,
} from './file-lists.js';

const drivers = { postgres: 'pg', mysql: 'mysql2' } as const;

// A server database brings its driver, its migrations and its own tests, and nothing of SQLite's.
describe.each([
  ['postgres', 'jwt'],
  ['postgres', 'none'],
  ['mysql', 'jwt'],
  ['mysql', 'none'],
  ['postgres', 'oauth2,apikey'],
  ['mysql', 'apikey'],
] as const)('--db %s --auth %s', (db, auth) => {
  const methods = auth.split(',') as ('jwt' | 'apikey' | 'oauth2' | 'none')[];
  const dir = path.join(scratchDir(), 'api');
  let files: string[] = [];
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');

  beforeAll(async () => {
    const result = await runCli([dir, '--yes', '--no-install', '--no-git', '--db', db, '--auth', auth]);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    files = listFiles(dir);
  });

  it('writes exactly the base, its database files, and the default choices', () => {
    const expected = [
      ...baseFiles,
      ...serverDatabaseFiles,
      ...authFilesOf(methods),
      ...cacheFiles.memory,
      ...prometheusFiles,
      ...dockerFiles,
      ...githubFiles,
    ];
    expect(files).toEqual(expected.sort());
  });

  it('depends on its driver only, and documents its URL, pool and replicas', () => {
    const pkg = JSON.parse(read('package.json'));
    const runtime = Object.keys(pkg.dependencies);
    expect(runtime).toContain(drivers[db]);
    for (const other of ['better-sqlite3', 'pg', 'postgres', 'mysql2'].filter((name) => name !== drivers[db])) {
      expect(runtime).not.toContain(other);
    }
    expect(pkg.allowScripts).toEqual({ esbuild: true });
    expect(pkg.scripts).toMatchObject({
      'db:migrate': 'node scripts/db-migrate.js',
      'bench:pagination': expect.any(String),
    });
    const env = read('.env.example');
    expect(env).toMatch(db === 'postgres' ? /^DATABASE_URL=postgres:\/\//m : /^DATABASE_URL=mysql:\/\//m);
    expect(env).toMatch(/^DATABASE_REPLICA_URLS=$/m);
    expect(env).toMatch(/^DATABASE_POOL_MAX=10$/m);
  });

  it('leaves no trace of SQLite or of template syntax', () => {
    const code = files
      // observability/ holds Grafana's and Prometheus's own {{ }} templating.
      .filter((file) => /\.(ts|js|json|sql|yml)$|Dockerfile/.test(file) && !file.startsWith('observability/'))
      .map(read)
      .join('\n');
    expect(code).not.toMatch(/\{\{[#/^!]?[\w.]/);
    expect(code).not.toMatch(/sqlite|DATABASE_PATH|file:\.\/data/i);
    const sql = read('drizzle/0000_initial.sql');
    expect(sql.includes('CREATE TABLE')).toBe(true);
    expect(/CREATE TABLE [`"]users[`"]/.test(sql)).toBe(auth === 'jwt');
    expect(/CREATE TABLE [`"]api_keys[`"]/.test(sql)).toBe(methods.includes('apikey'));
    expect(read('drizzle/meta/_journal.json')).toContain(db === 'postgres' ? '"postgresql"' : '"mysql"');
  });

  it('starts the database in docker compose with a health check and a named volume', () => {
    const compose = parseYaml(read('docker-compose.yml'), { merge: true });
    expect(compose.services.db).toMatchObject({
      image: db === 'postgres' ? expect.stringMatching(/^postgres:/) : expect.stringMatching(/^mysql:8/),
      healthcheck: { test: expect.any(Array) },
      volumes: [expect.stringMatching(/^db:/)],
    });
    expect(compose.volumes).toEqual({ db: null, prometheus: null, grafana: null });
    expect(compose.services.api.depends_on).toEqual({
      migrate: { condition: 'service_completed_successfully' },
      db: { condition: 'service_healthy' },
    });
    expect(compose.services.api.environment.DATABASE_URL).toMatch(/@db:/);
    expect(read('Dockerfile')).not.toMatch(/python3|g\+\+|data/);
  });

  it('gives the CI workflow the database server its tests need', () => {
    const job = parseYaml(read('.github/workflows/ci.yml')).jobs.check;
    const service = db === 'postgres' ? job.services.postgres : job.services.mysql;
    expect(service.image).toMatch(db === 'postgres' ? /^postgres:/ : /^mysql:8/);
    expect(service.options).toContain('--health-cmd');
    expect(job.env.DATABASE_URL).toMatch(
      db === 'postgres' ? /^postgres:\/\/.*127\.0\.0\.1:5432/ : /^mysql:\/\/.*127\.0\.0\.1:3306/,
    );
  });
});
