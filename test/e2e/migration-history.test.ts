import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../helpers.js';
import { projectEnv } from '../project-node.js';
import { npmRun, runInProject } from './project.js';

/**
 * A change of tables on a project whose database is migrated already: the project's own
 * drizzle-kit writes the next migration, and `db:migrate` takes the same database to the new
 * schema, with no "recreate your database" step.
 */
describe('add auth=apikey on an installed project whose database is migrated', () => {
  const cwd = scratchDir('csb-e2e-history-');
  const dir = path.join(cwd, 'my-api');
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
  const tags = () => (JSON.parse(read('drizzle/meta/_journal.json')).entries as { tag: string }[]).map((e) => e.tag);

  /** The tables of ./data/app.db and their columns, read by the project's own better-sqlite3. */
  const tables = async (): Promise<Record<string, string[]>> =>
    JSON.parse(
      await runInProject(
        dir,
        `import Database from 'better-sqlite3';
const db = new Database('./data/app.db', { readonly: true });
const names = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name").all().map((row) => row.name);
console.log(JSON.stringify(Object.fromEntries(names.map((name) => [name, db.prepare(\`pragma table_info(\${name})\`).all().map((column) => column.name)]))));`,
        {},
      ),
    );

  beforeAll(async () => {
    const result = await runCli(['my-api', '--yes', '--auth', 'none', '--no-git'], {
      cwd,
      all: true,
      env: projectEnv(),
    });
    expect(result.exitCode, result.all).toBe(0);
    await npmRun(dir, 'db:migrate');
  });

  it('has the tables of auth=none before', async () => {
    expect(tags()).toEqual(['0000_initial']);
    expect(Object.keys(await tables())).toEqual(['items']);
  });

  it("writes drizzle-kit's migration after the initial one, which stays byte for byte", async () => {
    const initial = read('drizzle/0000_initial.sql');
    const snapshot = read('drizzle/meta/0000_snapshot.json');
    const result = await runCli(['add', 'auth=apikey', '--cwd', dir], { all: true, env: projectEnv() });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toMatch(/^ {2}create drizzle\/0001_auth_apikey\.sql$/m);
    expect(result.stdout).toMatch(/^ {2}create drizzle\/meta\/0001_snapshot\.json$/m);
    expect(result.stdout).not.toMatch(/db:generate|recreate/);
    // drizzle-kit adds the column as it is declared: fine on this empty table, and said so.
    expect(result.stdout).toContain('adds items.owner_id as NOT NULL with no default');
    expect(read('drizzle/0000_initial.sql')).toBe(initial);
    expect(read('drizzle/meta/0000_snapshot.json')).toBe(snapshot);
    expect(tags()).toEqual(['0000_initial', '0001_auth_apikey']);
    expect(read('drizzle/0001_auth_apikey.sql')).toMatch(/CREATE TABLE `api_keys`/);
  });

  it('db:migrate on the same database reaches the new schema', async () => {
    await npmRun(dir, 'db:migrate');
    const after = await tables();
    expect(Object.keys(after)).toEqual(['api_keys', 'items']);
    expect(after.items).toContain('owner_id');
  });

  it('passes its own typecheck and tests, the drift test among them', async () => {
    await npmRun(dir, 'typecheck');
    const tests = await npmRun(dir, 'test');
    expect(tests).toMatch(/^\s*Tests\s+\d+ passed \(\d+\)\s*$/m);
    expect(tests).toMatch(/migrations\.test\.ts/);
  });

  it('then numbers a resource after that migration, and the drift test stays green', async () => {
    const result = await runCli(['add', 'resource', 'tags', '--cwd', dir], { all: true, env: projectEnv() });
    expect(result.exitCode, result.all).toBe(0);
    expect(tags()).toEqual(['0000_initial', '0001_auth_apikey', '0002_tags']);
    await npmRun(dir, 'db:migrate');
    expect(Object.keys(await tables())).toEqual(['api_keys', 'items', 'tags']);
    await npmRun(dir, 'typecheck');
    await npmRun(dir, 'test', {}, ['test/migrations.test.ts', 'test/tags.test.ts']);
  });
});
