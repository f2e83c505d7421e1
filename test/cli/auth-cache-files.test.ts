import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { listFiles, runCli, scratchDir } from '../helpers.js';
import { anyCacheFile, authFiles, cacheFiles } from './file-lists.js';

const cacheDependency = { memory: 'lru-cache', redis: 'ioredis', memcached: 'memjs' } as const;

// Each auth x cache project gets exactly its own files, and nothing of the other choices.
describe.each([
  ['jwt', 'memory'],
  ['jwt', 'none'],
  ['none', 'memory'],
  ['none', 'none'],
  ['jwt', 'redis'],
  ['none', 'redis'],
  ['jwt', 'memcached'],
] as const)('--auth %s --cache %s', (auth, cache) => {
  const dir = path.join(scratchDir(), 'api');
  let files: string[] = [];
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');

  beforeAll(async () => {
    const result = await runCli([dir, '--yes', '--no-install', '--no-git', '--auth', auth, '--cache', cache]);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    files = listFiles(dir);
  });

  it('writes the auth and cache files exactly when chosen', () => {
    const expected = [...(auth === 'jwt' ? authFiles : []), ...cacheFiles[cache]];
    const present = files.filter((file) => authFiles.includes(file) || anyCacheFile.includes(file));
    expect(present.sort()).toEqual(expected.sort());
    expect(files).toEqual(expect.arrayContaining(['drizzle/0000_initial.sql', 'test/migrations.test.ts']));
  });

  it('leaves no trace of an option that was not chosen', () => {
    const sources = files.filter((file) => /^(src|test)\/.*\.ts$/.test(file)).map(read);
    const code = sources.join('\n');
    expect(code).not.toMatch(/\{\{[#/^!]?[\w.]/);
    if (auth === 'none') expect(code).not.toMatch(/jose|authenticate|ownerId|owner_id|JWT_/);
    if (cache === 'none') expect(code).not.toMatch(/createMemoryCache|fastify\.cache|CACHE_TTL|cacheItemReads/);
    if (cache !== 'redis') expect(code).not.toMatch(/ioredis|REDIS_|fastify\.redis/);
    if (cache !== 'memcached') expect(code).not.toMatch(/memjs|MEMCACHED_/);
    if (cache === 'memory' || cache === 'none') expect(code).not.toMatch(/resilient|cache-server|tcp-proxy/);
    const pkg = JSON.parse(read('package.json'));
    for (const [value, dependency] of Object.entries(cacheDependency)) {
      // The JWT feature keeps verified tokens in an LRU too.
      const needed = cache === value || (dependency === 'lru-cache' && auth === 'jwt');
      expect(dependency in pkg.dependencies, dependency).toBe(needed);
    }
    expect('jose' in pkg.dependencies).toBe(auth === 'jwt');
    const env = read('.env.example');
    expect(env.includes('JWT_SECRET=')).toBe(auth === 'jwt');
    expect(env.includes('CACHE_TTL_SECONDS=60')).toBe(cache !== 'none');
    expect(env.includes('REDIS_URL=redis://127.0.0.1:6379')).toBe(cache === 'redis');
    expect(env.includes('MEMCACHED_SERVERS=127.0.0.1:11211')).toBe(cache === 'memcached');
    expect(read('drizzle/0000_initial.sql').includes('CREATE TABLE `users`')).toBe(auth === 'jwt');
  });

  it('starts the chosen cache server in docker compose and in the CI workflow', () => {
    const compose = parseYaml(read('docker-compose.yml'), { merge: true });
    const workflow = parseYaml(read('.github/workflows/ci.yml'));
    const server = cache === 'redis' || cache === 'memcached' ? cache : undefined;
    // The default --monitoring prometheus brings Prometheus and Grafana too.
    expect(Object.keys(compose.services).sort()).toEqual(
      ['api', 'grafana', 'migrate', 'prometheus', ...(server ? [server] : [])].sort(),
    );
    expect(Object.keys(workflow.jobs.check.services ?? {})).toEqual(server ? [server] : []);
    if (server) expect(compose.services.api.depends_on[server]).toEqual({ condition: 'service_healthy' });
    if (cache === 'redis') expect(compose.services.api.environment.REDIS_URL).toBe('redis://redis:6379');
    if (cache === 'memcached') expect(compose.services.api.environment.MEMCACHED_SERVERS).toBe('memcached:11211');
  });
});
