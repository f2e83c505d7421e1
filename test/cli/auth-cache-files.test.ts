import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listFiles, runCli, scratchDir } from '../helpers.js';
import { authFiles, cacheFiles } from './file-lists.js';

// Each of the four auth x cache projects gets exactly its own files, and nothing of the other choices.
describe.each([
  ['jwt', 'memory'],
  ['jwt', 'none'],
  ['none', 'memory'],
  ['none', 'none'],
])('--auth %s --cache %s', (auth, cache) => {
  const dir = path.join(scratchDir(), 'api');
  let files: string[] = [];
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');

  beforeAll(async () => {
    const result = await runCli([dir, '--yes', '--no-install', '--no-git', '--auth', auth, '--cache', cache]);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    files = listFiles(dir);
  });

  it('writes the auth and cache files exactly when chosen', () => {
    const expected = [...(auth === 'jwt' ? authFiles : []), ...(cache === 'memory' ? cacheFiles : [])];
    const present = files.filter((file) => authFiles.includes(file) || cacheFiles.includes(file));
    expect(present.sort()).toEqual(expected.sort());
    expect(files).toEqual(expect.arrayContaining(['drizzle/0000_initial.sql', 'test/migrations.test.ts']));
  });

  it('leaves no trace of an option that was not chosen', () => {
    const sources = files.filter((file) => /^(src|test)\/.*\.ts$/.test(file)).map(read);
    const code = sources.join('\n');
    expect(code).not.toMatch(/\{\{[#/^!]?[\w.]/);
    if (auth === 'none') expect(code).not.toMatch(/jose|authenticate|ownerId|owner_id|JWT_/);
    if (cache === 'none') expect(code).not.toMatch(/createMemoryCache|fastify\.cache|CACHE_TTL|cacheItemReads/);
    const pkg = JSON.parse(read('package.json'));
    expect('jose' in pkg.dependencies).toBe(auth === 'jwt');
    // The JWT feature keeps verified tokens in an LRU too.
    expect('lru-cache' in pkg.dependencies).toBe(cache === 'memory' || auth === 'jwt');
    expect(read('.env.example').includes('JWT_SECRET=')).toBe(auth === 'jwt');
    expect(read('.env.example').includes('CACHE_TTL_SECONDS=60')).toBe(cache === 'memory');
    expect(read('drizzle/0000_initial.sql').includes('CREATE TABLE `users`')).toBe(auth === 'jwt');
  });
});
