import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../helpers.js';
import { npmInstall, npmRun } from './project.js';

/**
 * Issue 23's proof on SQLite (the matrix runs the same model on PostgreSQL and MySQL): a model of
 * five typed resources with references, a composite unique key, exact decimals and each access,
 * added to a jwt project in one run; the project installs, migrates and passes its own typecheck,
 * lint and tests.
 */
const model = path.resolve('test/fixtures/shop-model.yaml');
const resources = ['customers', 'products', 'orders', 'order-lines', 'reviews'];

describe('a SQLite + jwt project grown by a model of five typed resources', () => {
  const dir = path.join(scratchDir('csb-e2e-model-'), 'shop');

  beforeAll(async () => {
    const created = await runCli([dir, '--yes', '--no-git', '--no-install', '--db', 'sqlite', '--auth', 'jwt'], {
      all: true,
    });
    expect(created.exitCode, created.all).toBe(0);
    const added = await runCli(['add', 'resources', model, '--cwd', dir], { all: true });
    expect(added.exitCode, added.all).toBe(0);
    // drizzle-kit writes the typed tables' migration: the next step add names without node_modules.
    expect(added.all).toContain('db:generate');
    await npmInstall(dir);
    await npmRun(dir, 'db:generate');
  });

  it('records each resource with its fields, in dependency order', () => {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'sound-backend.json'), 'utf8'));
    expect(manifest.resources.map((resource: { name: string }) => resource.name)).toEqual(resources);
    const access = manifest.resources.map((resource: { access?: string }) => resource.access ?? 'owned');
    expect(access).toEqual(['owned', 'shared', 'owned', 'owned', 'public-read']);
  });

  it('passes its own typecheck, lint and tests, each resource tested', async () => {
    await npmRun(dir, 'typecheck');
    await npmRun(dir, 'lint');
    const tests = await npmRun(dir, 'test');
    expect(tests).toMatch(/^\s*Tests\s+\d+ passed \(\d+\)\s*$/m);
    for (const name of resources) expect(tests).toContain(`test/${name}.test.ts`);
  });
});
