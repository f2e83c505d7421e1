import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { listFiles, runCli, scratchDir } from '../helpers.js';
import { anyAuthFile, anyCacheFile, authFilesOf, cacheFiles } from './file-lists.js';

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
  ['apikey', 'none'],
  ['oauth2', 'memory'],
  ['jwt,apikey', 'memory'],
  ['oauth2,apikey', 'redis'],
] as const)('--auth %s --cache %s', (auth, cache) => {
  const methods = auth.split(',') as ('jwt' | 'apikey' | 'oauth2' | 'none')[];
  const has = (method: 'jwt' | 'apikey' | 'oauth2') => methods.includes(method);
  const dir = path.join(scratchDir(), 'api');
  let files: string[] = [];
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');

  beforeAll(async () => {
    const result = await runCli([dir, '--yes', '--no-install', '--no-git', '--auth', auth, '--cache', cache]);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    files = listFiles(dir);
  });

  it('writes the auth and cache files exactly when chosen', () => {
    const expected = [...authFilesOf(methods), ...cacheFiles[cache]];
    const present = files.filter((file) => anyAuthFile.includes(file) || anyCacheFile.includes(file));
    expect(present.sort()).toEqual(expected.sort());
    expect(files).toEqual(expect.arrayContaining(['drizzle/0000_initial.sql', 'test/migrations.test.ts']));
  });

  it('leaves no trace of an option that was not chosen', () => {
    const sources = files.filter((file) => /^(src|test)\/.*\.ts$/.test(file)).map(read);
    const code = sources.join('\n');
    expect(code).not.toMatch(/\{\{[#/^!]?[\w.]/);
    if (auth === 'none') expect(code).not.toMatch(/jose|authenticate|principal|ownerId|owner_id|JWT_/);
    if (!has('jwt')) expect(code).not.toMatch(/JWT_|signUp|accessTokens|refreshTokens|from\(users\)/);
    // (The log redaction list names x-api-key whatever the choice.)
    if (!has('apikey')) expect(code).not.toMatch(/api-keys|apiKeys|api_keys|verifyApiKey/);
    if (!has('oauth2')) expect(code).not.toMatch(/OIDC_|requireScope|identityProvider|createOidcVerifier/);
    if (cache === 'none') expect(code).not.toMatch(/createMemoryCache|fastify\.cache|CACHE_TTL|cacheReads/);
    if (cache !== 'redis') expect(code).not.toMatch(/ioredis|REDIS_|fastify\.redis/);
    if (cache !== 'memcached') expect(code).not.toMatch(/memjs|MEMCACHED_/);
    if (cache === 'memory' || cache === 'none') expect(code).not.toMatch(/resilient|cache-server|tcp-proxy/);
    const pkg = JSON.parse(read('package.json'));
    for (const [value, dependency] of Object.entries(cacheDependency)) {
      // The JWT feature keeps verified tokens in an LRU too.
      const needed = cache === value || (dependency === 'lru-cache' && has('jwt'));
      expect(dependency in pkg.dependencies, dependency).toBe(needed);
    }
    expect('jose' in pkg.dependencies).toBe(has('jwt') || has('oauth2'));
    expect('apikey:create' in pkg.scripts).toBe(has('apikey'));
    expect('apikey:revoke' in pkg.scripts).toBe(has('apikey'));
    const env = read('.env.example');
    expect(env.includes('JWT_SECRET=')).toBe(has('jwt'));
    for (const name of ['OIDC_ISSUER', 'OIDC_AUDIENCE', 'OIDC_JWKS_URL']) {
      expect(env.includes(`${name}=`), name).toBe(has('oauth2'));
    }
    expect(env.includes('CACHE_TTL_SECONDS=60')).toBe(cache !== 'none');
    expect(env.includes('REDIS_URL=redis://127.0.0.1:6379')).toBe(cache === 'redis');
    expect(env.includes('MEMCACHED_SERVERS=127.0.0.1:11211')).toBe(cache === 'memcached');
    const sql = read('drizzle/0000_initial.sql');
    expect(sql.includes('CREATE TABLE `users`')).toBe(has('jwt'));
    expect(sql.includes('CREATE TABLE `api_keys`')).toBe(has('apikey'));
    expect(sql.includes('`owner_id`')).toBe(auth !== 'none');
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
    // Compose refuses to start without the provider's settings, rather than start a useless API.
    const oidc = Object.keys(compose.services.api.environment).filter((name) => name.startsWith('OIDC_'));
    expect(oidc).toEqual(has('oauth2') ? ['OIDC_ISSUER', 'OIDC_AUDIENCE', 'OIDC_JWKS_URL'] : []);
  });
});
