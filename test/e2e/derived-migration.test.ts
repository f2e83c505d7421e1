import { cpSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../helpers.js';
import { projectEnv } from '../project-node.js';
import { applyTypicalEdits } from '../typical-edits.js';
import { needsServer } from './services.js';

/**
 * Without node_modules, a choice that changes tables gets a migration derived by the tool. It is
 * right when it says what drizzle-kit says: the snapshot is the one the project's own drizzle-kit
 * writes for the same change, `drizzle-kit generate` afterwards finds nothing to do, and
 * `db:migrate` takes a database migrated before the change to the new schema.
 */

type Db = 'sqlite' | 'postgres' | 'mysql';
const dialects: Db[] = ['sqlite', 'postgres', 'mysql'];

/** From a project made with `auth`, the run that changes its tables. */
const changes: { auth: string; run: string[]; tag: string; env?: Record<string, string> }[] = [
  { auth: 'none', run: ['add', 'auth=apikey'], tag: 'auth_apikey' },
  { auth: 'none', run: ['add', 'auth=jwt'], tag: 'auth_jwt' },
  { auth: 'jwt', run: ['add', 'auth=apikey'], tag: 'auth_apikey' },
  { auth: 'apikey', run: ['remove', 'auth=apikey'], tag: 'remove_auth_apikey' },
  // items:write makes API keys store scopes: a column added to api_keys.
  {
    auth: 'apikey',
    run: ['add', 'auth=oauth2'],
    tag: 'auth_oauth2',
    // The configuration is checked whole before a migration, though it asks no provider anything.
    env: {
      OIDC_ISSUER: 'https://id.test.example/',
      OIDC_AUDIENCE: 'https://api.test.example',
      OIDC_JWKS_URL: 'http://127.0.0.1:9/jwks.json',
    },
  },
];

const cwd = scratchDir('csb-e2e-derived-');
/** One installed project per dialect, whose node_modules every case borrows. */
const installed = (db: Db) => path.join(cwd, `installed-${db}`);
let serial = 0;

const servers: Record<Db, { run: boolean; note: string }> = {
  sqlite: { run: true, note: '' },
  postgres: await needsServer('PostgreSQL', '127.0.0.1', 5432),
  mysql: await needsServer('MariaDB', '127.0.0.1', 3306),
};

/** A fresh database for one case, and its DATABASE_URL. */
async function freshDatabase(db: Db, dir: string): Promise<string> {
  serial += 1;
  const name = `derived_${process.pid}_${serial}`;
  if (db === 'sqlite') return `file:${path.join(dir, 'data/app.db')}`;
  if (db === 'postgres') {
    await execa('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-c', `CREATE DATABASE ${name}`]);
    return `postgres://postgres@127.0.0.1:5432/${name}`;
  }
  await execa('mysql', ['-h', '127.0.0.1', '-uroot', '-e', `CREATE DATABASE ${name}`]);
  return `mysql://root@127.0.0.1:3306/${name}`;
}

const lastSnapshot = (dir: string) => {
  const journal = JSON.parse(readFileSync(path.join(dir, 'drizzle/meta/_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const tags = journal.entries.map((entry) => entry.tag);
  const last = tags.at(-1) ?? '';
  const file = `drizzle/meta/${last.slice(0, last.indexOf('_'))}_snapshot.json`;
  const { id, prevId, ...rest } = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
  return { tags, snapshot: rest, id, prevId };
};

const borrowModules = (db: Db, dir: string) =>
  symlinkSync(path.join(installed(db), 'node_modules'), path.join(dir, 'node_modules'), 'junction');

async function run(dir: string, command: string[], env: Record<string, string> = {}) {
  const result = await execa(command[0] as string, command.slice(1), {
    cwd: dir,
    reject: false,
    all: true,
    env: projectEnv({ NO_COLOR: '1', ...env }),
  });
  expect(result.exitCode, `${command.join(' ')}:\n${result.all}`).toBe(0);
  return result.all ?? '';
}

beforeAll(async () => {
  await Promise.all(
    dialects.map(async (db) => {
      const result = await runCli([`installed-${db}`, '--yes', '--db', db, '--auth', 'none', '--no-git'], {
        cwd,
        all: true,
        env: projectEnv(),
      });
      expect(result.exitCode, result.all).toBe(0);
    }),
  );
});

describe.each(dialects)('%s', (db) => {
  describe.each([false, true])('with a column of the user (%s)', (priority) => {
    it.runIf(servers[db].run).each(changes)(`$run.0 $run.1 on auth=$auth${servers[db].note}`, async (change) => {
      const name = `${db}-${change.auth}-${change.run.join('-').replace(/\W/g, '')}-${priority ? 'p' : 'plain'}`;
      const derived = path.join(cwd, name);
      const created = await runCli([name, '--yes', '--db', db, '--auth', change.auth, '--no-git', '--no-install'], {
        cwd,
        all: true,
      });
      expect(created.exitCode, created.all).toBe(0);
      if (priority) applyTypicalEdits(derived);

      // drizzle-kit's own migration for the same change, in a copy with node_modules.
      const kit = `${derived}-kit`;
      cpSync(derived, kit, { recursive: true });
      borrowModules(db, kit);
      const byKit = await runCli([...change.run, '--cwd', kit], { all: true, env: projectEnv() });
      expect(byKit.exitCode, byKit.all).toBe(0);

      // The database, migrated before the change.
      const url = await freshDatabase(db, derived);
      borrowModules(db, derived);
      await run(derived, ['node', 'scripts/db-migrate.js'], { DATABASE_URL: url });
      rmSync(path.join(derived, 'node_modules'));

      const result = await runCli([...change.run, '--cwd', derived], { all: true, env: projectEnv() });
      expect(result.exitCode, result.all).toBe(0);
      const next = `${priority ? '0002' : '0001'}_${change.tag}`;
      expect(result.stdout).toMatch(new RegExp(`^ {2}create drizzle/${next}\\.sql$`, 'm'));
      expect(result.stdout).not.toMatch(/no migration was written|^ {2}npm run db:generate$/m);
      expect(result.stdout).toContain('derived without drizzle-kit');

      const mine = lastSnapshot(derived);
      const theirs = lastSnapshot(kit);
      expect(mine.tags).toEqual(theirs.tags);
      expect(mine.snapshot).toEqual(theirs.snapshot);
      expect(mine.prevId).toBe(theirs.prevId);

      // drizzle-kit finds nothing left to generate, and the database migrated before gets there.
      borrowModules(db, derived);
      const files = readdirSync(path.join(derived, 'drizzle'), { recursive: true }).sort();
      const drift = await run(derived, ['node', 'node_modules/drizzle-kit/bin.cjs', 'generate'], { DATABASE_URL: url });
      expect(drift).toMatch(/No schema changes/);
      expect(readdirSync(path.join(derived, 'drizzle'), { recursive: true }).sort()).toEqual(files);
      await run(derived, ['node', 'scripts/db-migrate.js'], { DATABASE_URL: url, ...change.env });
    });
  });
});
