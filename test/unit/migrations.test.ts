import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { featureModules } from '../../generators/index.js';
import type { Stack } from '../../src/catalogue.js';
import type { FileChange } from '../../src/changes.js';
import { UsageError } from '../../src/errors.js';
import {
  columnsWithoutDefault,
  type GenerateInput,
  generateMigration,
  isMigrationHistory,
  journalFile,
  migrationHistory,
  nextMigrationTag,
} from '../../src/migrations.js';
import { withDefaults } from '../../src/options.js';
import { planProject, type ResourceRecord } from '../../src/plan.js';
import { type RenderedProject, renderProject } from '../../src/render.js';
import { ownMigration, scratchDir, writeRendered } from '../helpers.js';

const hash = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');
const hashes = (files: RenderedProject) =>
  Object.fromEntries([...files].map(([file, { content }]) => [file, hash(content)]));

const render = (stack: Partial<Stack>, resources: ResourceRecord[] = []) =>
  renderProject(planProject({ name: 'app', stack: withDefaults(stack), pm: 'npm', resources }, '0.1.0'));

const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');

/** A project on disk as rendered, with `files` written over it. */
function project(rendered: RenderedProject, files: Record<string, string> = {}): string {
  const dir = scratchDir('csb-migrations-');
  writeRendered(dir, rendered);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

const noGenerate = async (): Promise<never> => {
  throw new Error('drizzle-kit must not run');
};

describe('isMigrationHistory', () => {
  it('is the SQL, the snapshots and the journal under drizzle/, nothing else', () => {
    for (const file of ['drizzle/0000_initial.sql', 'drizzle/meta/0003_snapshot.json', journalFile]) {
      expect(isMigrationHistory(file), file).toBe(true);
    }
    for (const file of ['drizzle.config.ts', 'src/db/schema.ts', 'drizzle/notes.md', 'drizzle/x/0001_a.sql']) {
      expect(isMigrationHistory(file), file).toBe(false);
    }
  });
});

describe('nextMigrationTag', () => {
  it("numbers after the journal's last entry, the user's own included", async () => {
    const dir = project(await render({}));
    expect(nextMigrationTag(dir, 'orders')).toBe('0001_orders');
    const own = ownMigration(dir);
    writeFileSync(path.join(dir, journalFile), own[journalFile] ?? '');
    expect(nextMigrationTag(dir, 'tags')).toBe('0002_tags');
    expect(nextMigrationTag(scratchDir(), 'tags')).toBeUndefined();
    writeFileSync(path.join(dir, journalFile), '{"entries": [');
    expect(() => nextMigrationTag(dir, 'tags')).toThrow(UsageError);
  });
});

describe('migrationHistory', () => {
  it('adds a resource after the user migration: its SQL, a snapshot from the last on disk, one journal entry', async () => {
    const base = await render({});
    const dir = project(base);
    const own = ownMigration(dir);
    for (const [file, content] of Object.entries(own)) writeFileSync(path.join(dir, file), content);
    const record = { name: 'tags', createdAt: 1810000000000, migration: '0002_tags' };
    const planned = await render({}, [record]);
    const recorded = hashes(base);

    const history = migrationHistory({ root: dir, base, planned, recorded });
    expect([...history.planned.keys()].filter(isMigrationHistory)).toEqual([]);
    expect(Object.keys(history.recorded).filter(isMigrationHistory)).toEqual([]);
    expect(history.planned.get('src/db/schema.ts')).toBeDefined();

    const result = await history.evolve({ changes: [], name: 'resource_tags', run: 'npm run', generate: noGenerate });
    expect(result.changes.map((change) => `${change.action} ${change.path}`)).toEqual([
      'create drizzle/0002_tags.sql',
      'create drizzle/meta/0002_snapshot.json',
      'update drizzle/meta/_journal.json',
    ]);
    const written = (file: string) => String(result.changes.find((change) => change.path === file)?.after);
    expect(written('drizzle/0002_tags.sql')).toBe(String(planned.get('drizzle/0002_tags.sql')?.content));
    expect(written('drizzle/0002_tags.sql')).toMatch(/^CREATE TABLE `tags`/);
    const snapshot = JSON.parse(written('drizzle/meta/0002_snapshot.json'));
    const previous = JSON.parse(own['drizzle/meta/0001_snapshot.json'] ?? '');
    expect(snapshot.prevId).toBe(previous.id);
    expect(Object.keys(snapshot.tables)).toEqual([...Object.keys(previous.tables), 'tags'].sort());
    // The user's column stays in their table, and the new table is modelled on the plan's items.
    expect(snapshot.tables.items.columns.price).toBeDefined();
    expect(snapshot.tables.tags.columns.price).toBeUndefined();
    expect(snapshot.tables.tags.indexes).toHaveProperty('tags_owner_id_created_at_id_idx');

    const journal = JSON.parse(written(journalFile));
    expect(journal.entries.slice(0, 2)).toEqual(JSON.parse(own[journalFile] ?? '').entries);
    expect(journal.entries.slice(2)).toEqual([
      { idx: 2, version: '6', when: 1810000000000, tag: '0002_tags', breakpoints: true },
    ]);
    // The hashes recorded for the history stay; the new files' are added.
    expect(result.recorded['drizzle/0000_initial.sql']).toBe(recorded['drizzle/0000_initial.sql']);
    expect(result.recorded['drizzle/0002_tags.sql']).toBe(hash(written('drizzle/0002_tags.sql')));
    expect(result.recorded[journalFile]).toBe(hash(written(journalFile)));
    expect(result.pending).toBeUndefined();
  });

  it('hands a change of tables to drizzle-kit with the merged schema, and takes its files', async () => {
    const base = await render({ auth: ['none'] });
    const planned = await render({ auth: ['apikey'] });
    const dir = project(base);
    const schema: FileChange = {
      path: 'src/db/schema.ts',
      action: 'merge',
      after: Buffer.from('// merged\n'),
    };
    let given: GenerateInput | undefined;
    const generate = async (input: GenerateInput) => {
      given = input;
      return {
        files: new Map([
          ['drizzle/0001_auth_apikey.sql', Buffer.from('ALTER TABLE `items` ADD `owner_id` text NOT NULL;')],
          ['drizzle/meta/0001_snapshot.json', Buffer.from('{}')],
        ]),
        entries: [{ idx: 1, version: '6', when: 1, tag: '0001_auth_apikey', breakpoints: true }],
      };
    };
    const history = migrationHistory({ root: dir, base, planned, recorded: hashes(base) });
    const result = await history.evolve({ changes: [schema], name: 'auth_apikey', run: 'npm run', generate });
    expect(String(given?.schema)).toBe('// merged\n');
    expect(given?.name).toBe('auth_apikey');
    expect([...(given?.history.keys() ?? [])].sort()).toEqual([
      'drizzle/0000_initial.sql',
      'drizzle/meta/0000_snapshot.json',
      journalFile,
    ]);
    expect(result.changes.map((change) => `${change.action} ${change.path}`)).toEqual([
      'create drizzle/0001_auth_apikey.sql',
      'create drizzle/meta/0001_snapshot.json',
      'update drizzle/meta/_journal.json',
    ]);
    expect(result.changes.some((change) => change.path === 'drizzle/0000_initial.sql')).toBe(false);
    expect(result.notes).toEqual([expect.stringMatching(/adds items\.owner_id as NOT NULL with no default/)]);
  });

  it('writes nothing of the history when drizzle-kit cannot, and names db:generate and why', async () => {
    const base = await render({ auth: ['none'] });
    const planned = await render({ auth: ['apikey'] });
    const dir = project(base);
    const recorded = hashes(base);
    const history = migrationHistory({ root: dir, base, planned, recorded });
    // The real drizzle-kit part: the project has no node_modules.
    const result = await history.evolve({ changes: [], name: 'auth_apikey', run: 'pnpm run' });
    expect(result.changes).toEqual([]);
    expect(result.pending).toEqual({
      command: 'pnpm run db:generate',
      reason: 'drizzle-kit is not installed here (no node_modules/drizzle-kit)',
    });
    expect(result.recorded).toEqual(
      Object.fromEntries(Object.entries(recorded).filter(([f]) => isMigrationHistory(f))),
    );
  });

  it('derives the migration where drizzle-kit is not installed, numbered after the last entry', async () => {
    const base = await render({ auth: ['none'] });
    const planned = await render({ auth: ['apikey'] });
    const dir = project(base);
    const sql = featureModules['db-sqlite']?.migrationSql;
    const history = migrationHistory({ root: dir, base, planned, recorded: hashes(base), sql });
    const result = await history.evolve({ changes: [], name: 'auth_apikey', run: 'npm run' });
    expect(result.pending).toBeUndefined();
    expect(result.changes.map((change) => `${change.action} ${change.path}`)).toEqual([
      'create drizzle/0001_auth_apikey.sql',
      'create drizzle/meta/0001_snapshot.json',
      'update drizzle/meta/_journal.json',
    ]);
    const text = (file: string) => String(result.changes.find((change) => change.path === file)?.after);
    expect(text('drizzle/0001_auth_apikey.sql')).toContain('CREATE TABLE `api_keys` (');
    const snapshot = JSON.parse(text('drizzle/meta/0001_snapshot.json'));
    const initial = JSON.parse(String(base.get('drizzle/meta/0000_snapshot.json')?.content));
    expect(snapshot.prevId).toBe(initial.id);
    const {
      id: _id,
      prevId: _prevId,
      ...wanted
    } = JSON.parse(String(planned.get('drizzle/meta/0000_snapshot.json')?.content));
    const { id: _id2, prevId: _prevId2, ...derived } = snapshot;
    expect(derived).toEqual(wanted);
    expect(result.notes).toContainEqual(expect.stringMatching(/derived without drizzle-kit/));
  });

  it('keeps db:generate, with the reason, for what it cannot derive: a column that changes type', async () => {
    const base = await render({ db: 'postgres', auth: ['apikey'] });
    const planned = await render({ db: 'postgres', auth: ['jwt', 'apikey'] });
    const dir = project(base);
    const sql = featureModules['db-postgres']?.migrationSql;
    const history = migrationHistory({ root: dir, base, planned, recorded: hashes(base), sql });
    const result = await history.evolve({ changes: [], name: 'auth_jwt', run: 'npm run' });
    expect(result.changes).toEqual([]);
    expect(result.pending?.reason).toMatch(/no migration derived: public\.api_keys changes column owner_id/);
  });

  it('leaves the history alone when no table changes', async () => {
    const base = await render({});
    const dir = project(base, { 'drizzle/0000_initial.sql': '-- edited by the user\n' });
    const history = migrationHistory({
      root: dir,
      base,
      planned: await render({ cache: 'redis' }),
      recorded: hashes(base),
    });
    const result = await history.evolve({ changes: [], name: 'cache_redis', run: 'npm run', generate: noGenerate });
    expect(result).toEqual({
      changes: [],
      recorded: Object.fromEntries(Object.entries(hashes(base)).filter(([file]) => isMigrationHistory(file))),
      notes: [],
    });
  });

  it('lets a change of database follow the plan: the old dialect cannot run on the new one', async () => {
    const base = await render({});
    const planned = await render({ db: 'postgres' });
    const history = migrationHistory({ root: project(base), base, planned, recorded: hashes(base) });
    expect(history.planned).toBe(planned);
    expect(history.recorded).toEqual(hashes(base));
    expect(await history.evolve({ changes: [], name: 'db_postgres', run: 'npm run', generate: noGenerate })).toEqual({
      changes: [],
      recorded: {},
      notes: [],
    });
  });
});

describe('columnsWithoutDefault', () => {
  it('finds NOT NULL columns added with no default, in each dialect', () => {
    const sql = [
      'ALTER TABLE `items` ADD `owner_id` text NOT NULL;',
      'ALTER TABLE "items" ADD COLUMN "tenant" text NOT NULL;',
      "ALTER TABLE `items` ADD `kind` text DEFAULT 'a' NOT NULL;",
      'ALTER TABLE `items` ADD `note` text;',
      'CREATE TABLE `x` (`id` text NOT NULL);',
    ].join('--> statement-breakpoint\n');
    expect(columnsWithoutDefault(sql)).toEqual(['items.owner_id', 'items.tenant']);
  });
});

describe('generateMigration', () => {
  /** A project whose node_modules/drizzle-kit is `script`: what the real one does, in miniature. */
  function withDrizzleKit(script: string): string {
    const root = scratchDir('csb-drizzle-kit-');
    mkdirSync(path.join(root, 'node_modules/drizzle-kit'), { recursive: true });
    writeFileSync(path.join(root, 'node_modules/drizzle-kit/bin.cjs'), script);
    mkdirSync(path.join(root, 'src/db'), { recursive: true });
    writeFileSync(path.join(root, 'src/db/schema.ts'), '// on disk\n');
    writeFileSync(path.join(root, 'drizzle.config.ts'), 'export default {};\n');
    return root;
  }
  const journal = { version: '7', dialect: 'sqlite', entries: [{ idx: 0, tag: '0000_initial' }] };
  const input = (root: string) => ({
    root,
    history: new Map([
      ['drizzle/0000_initial.sql', Buffer.from('CREATE TABLE `items` (`id` text);')],
      [journalFile, Buffer.from(JSON.stringify(journal))],
    ]),
    schema: Buffer.from('// merged\n'),
    name: 'x_y',
    timeout: 5_000,
  });

  it('runs on a staged copy with the merged schema, and returns the new files and journal entries', async () => {
    const root = withDrizzleKit(`
      const fs = require('node:fs');
      const name = process.argv.find((arg) => arg.startsWith('--name=')).slice('--name='.length);
      const journal = JSON.parse(fs.readFileSync('drizzle/meta/_journal.json', 'utf8'));
      const tag = '0001_' + name;
      journal.entries.push({ idx: 1, tag });
      fs.writeFileSync('drizzle/' + tag + '.sql', '-- ' + fs.readFileSync('src/db/schema.ts', 'utf8'));
      fs.writeFileSync('drizzle/meta/0001_snapshot.json', '{}');
      fs.writeFileSync('drizzle/meta/_journal.json', JSON.stringify(journal));
    `);
    const generated = await generateMigration(input(root));
    expect(generated).toEqual({
      files: new Map([
        ['drizzle/0001_x_y.sql', Buffer.from('-- // merged\n')],
        ['drizzle/meta/0001_snapshot.json', Buffer.from('{}')],
      ]),
      entries: [{ idx: 1, tag: '0001_x_y' }],
    });
    // The project itself is untouched.
    expect(read(root, 'src/db/schema.ts')).toBe('// on disk\n');
    expect(() => read(root, 'drizzle/0001_x_y.sql')).toThrow();
  });

  it('gives up on a rename question, which only the user can answer, within the timeout', async () => {
    const root = withDrizzleKit(`
      process.stdout.write('? Is tags table created or renamed from another table?\\n');
      setInterval(() => {}, 1000);
    `);
    const started = Date.now();
    expect(await generateMigration({ ...input(root), timeout: 1_000 })).toEqual({
      reason: 'drizzle-kit asks whether a table or column was renamed, which only you can answer',
    });
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('names the last line of a failure, and a missing drizzle-kit', async () => {
    const root = withDrizzleKit("console.error('Error: the schema does not compile'); process.exit(1);");
    expect(await generateMigration(input(root))).toEqual({
      reason: 'drizzle-kit generate failed: Error: the schema does not compile',
    });
    expect(await generateMigration(input(scratchDir()))).toEqual({
      reason: 'drizzle-kit is not installed here (no node_modules/drizzle-kit)',
      notInstalled: true,
    });
  });
});
