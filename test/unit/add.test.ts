import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { changedStack } from '../../src/add/index.js';
import { mergeEnvExample, mergePackageJson, mergeThreeWay } from '../../src/add/merge.js';
import { decideChanges } from '../../src/changes.js';
import { UsageError } from '../../src/errors.js';
import { withDefaults } from '../../src/options.js';
import { checkResourceName, resourceNames } from '../../src/resource.js';
import { derivedMigration, derivedSnapshot } from '../../src/snapshots.js';

const hash = (text: string) => createHash('sha256').update(text).digest('hex');
const buf = (text: string) => Buffer.from(text);

describe('decideChanges', () => {
  const decide = (
    files: { path: string; planned?: string; disk?: string; recorded?: string }[],
    force = false,
    merges = {},
  ) =>
    decideChanges({
      planned: new Map(files.flatMap((f) => (f.planned === undefined ? [] : [[f.path, { content: buf(f.planned) }]]))),
      disk: new Map(files.map((f) => [f.path, f.disk === undefined ? undefined : buf(f.disk)])),
      recorded: Object.fromEntries(
        files.flatMap((f) => (f.recorded === undefined ? [] : [[f.path, hash(f.recorded)]])),
      ),
      merges,
      force,
    });
  const actions = (set: ReturnType<typeof decide>) => set.changes.map((c) => `${c.action} ${c.path}`);

  it('creates new files, replaces untouched ones, deletes untouched ones no longer planned', () => {
    const set = decide([
      { path: 'new.ts', planned: 'n' },
      { path: 'same.ts', planned: 's', disk: 's', recorded: 's' },
      { path: 'old.ts', planned: 'v2', disk: 'v1', recorded: 'v1' },
      { path: 'gone.ts', disk: 'g', recorded: 'g' },
    ]);
    expect(actions(set)).toEqual(['delete gone.ts', 'create new.ts', 'update old.ts']);
    expect(set.conflicts).toEqual([]);
    expect(set.recorded).toEqual({ 'new.ts': hash('n'), 'old.ts': hash('v2'), 'same.ts': hash('s') });
  });

  it('a file the user changed is a conflict when the new version differs, and untouched when it does not', () => {
    const set = decide([
      { path: 'changed.ts', planned: 'v2', disk: 'mine', recorded: 'v1' },
      { path: 'kept.ts', planned: 'v1', disk: 'mine', recorded: 'v1' },
      { path: 'dropped.ts', disk: 'mine', recorded: 'v1' },
      { path: 'theirs.ts', planned: 'v1', disk: 'user file' },
    ]);
    expect(set.changes).toEqual([]);
    expect(set.conflicts.map((c) => c.path)).toEqual(['changed.ts', 'dropped.ts', 'theirs.ts']);
    expect(set.conflicts[2]?.reason).toMatch(/not made by/);
    // Still recorded as generated, so the user's change stays visible to the next add.
    expect(set.recorded['kept.ts']).toBe(hash('v1'));
  });

  it('with force, conflicts become changes that override the user', () => {
    const set = decide([{ path: 'changed.ts', planned: 'v2', disk: 'mine', recorded: 'v1' }], true);
    expect(actions(set)).toEqual(['update changed.ts']);
    expect(set.changes[0]?.overridesUser).toMatch(/changed by you/);
    expect(set.changes[0]?.before?.toString()).toBe('mine');
  });

  it('a generated file the user deleted stays deleted unless its content changes', () => {
    const set = decide([
      { path: 'deleted.ts', planned: 'v1', recorded: 'v1' },
      { path: 'deleted-changed.ts', planned: 'v2', recorded: 'v1' },
    ]);
    expect(set.keptDeleted).toEqual(['deleted.ts']);
    expect(set.recorded['deleted.ts']).toBe(hash('v1'));
    expect(set.conflicts.map((c) => c.path)).toEqual(['deleted-changed.ts']);
  });

  it('merges a changed shared file, and turns a failed merge into a conflict', () => {
    const ok = decide([{ path: 'package.json', planned: 'v2', disk: 'mine', recorded: 'v1' }], false, {
      'package.json': (current: string) => `${current}+merged`,
    });
    expect(actions(ok)).toEqual(['merge package.json']);
    expect(ok.changes[0]?.after?.toString()).toBe('mine+merged');
    // The generator's version is recorded, so the next add merges again instead of replacing.
    expect(ok.recorded['package.json']).toBe(hash('v2'));
    const failed = decide([{ path: 'package.json', planned: 'v2', disk: 'mine', recorded: 'v1' }], false, {
      'package.json': () => {
        throw new Error('"scripts" is not an object');
      },
    });
    expect(failed.conflicts).toEqual([
      { path: 'package.json', reason: 'changed by you, and cannot be merged: "scripts" is not an object' },
    ]);
  });

  it('merges other text files line by line: clean merges silently, overlaps stop unless marked', () => {
    const base = 'a\nb\nc\n';
    const input = (disk: string, markConflicts = false) => ({
      planned: new Map([['app.ts', { content: buf('a\nB\nc\n') }]]),
      disk: new Map([['app.ts', buf(disk)]]),
      recorded: { 'app.ts': hash(base) },
      merges: {},
      lineMerge: (_: string, current: string) => {
        const { text, overlaps } = mergeThreeWay(current, base, 'a\nB\nc\n');
        return { text, yours: overlaps.map((o) => `${o.yours[0]}`), marked: overlaps.map((o) => `${o.marked[0]}`) };
      },
      markConflicts,
      force: false,
    });
    const clean = decideChanges(input('mine\na\nb\nc\n'));
    expect(actions(clean)).toEqual(['merge app.ts']);
    expect(clean.changes[0]?.after?.toString()).toBe('mine\na\nB\nc\n');
    expect(clean.conflicts).toEqual([]);
    // The new plan's hash, not the merged file's: the user's line stays an edit for the next add.
    expect(clean.recorded['app.ts']).toBe(hash('a\nB\nc\n'));
    const overlap = decideChanges(input('a\nmine\nc\n'));
    expect(overlap.changes).toEqual([]);
    expect(overlap.conflicts[0]?.reason).toMatch(/changes too \(line 2 of yours\)/);
    const marked = decideChanges(input('a\nmine\nc\n', true));
    expect(actions(marked)).toEqual(['merge app.ts']);
    expect(marked.changes[0]?.markers).toEqual(['2']);
  });
});

describe('mergeThreeWay', () => {
  const base = 'one\ntwo\nthree\nfour\n';
  it('combines changes to different lines', () => {
    expect(mergeThreeWay('zero\none\ntwo\nthree\nfour\n', base, 'one\ntwo\nthree\n4\n')).toEqual({
      text: 'zero\none\ntwo\nthree\n4\n',
      overlaps: [],
    });
  });
  it('takes the same change made on both sides once', () => {
    expect(mergeThreeWay('one\n2\nthree\nfour\n', base, 'one\n2\nthree\nfour\n').overlaps).toEqual([]);
  });
  it('writes git-style markers where both changed the same lines, and says where', () => {
    const result = mergeThreeWay('one\nmine\nthree\nfour\n', base, 'one\ntheirs\nTHEIRS\nfour\n');
    expect(result.text).toBe(
      'one\n<<<<<<< yours\nmine\nthree\n=======\ntheirs\nTHEIRS\n>>>>>>> create-sound-backend\nfour\n',
    );
    expect(result.overlaps).toEqual([{ yours: [2, 3], marked: [2, 8] }]);
  });
  it('keeps lines one side only added beside the lines the other changed, after the new version', () => {
    // Both add an entry at the end of a list: the user's goes after the generator's.
    expect(mergeThreeWay('one\ntwo\nmine\n', 'one\ntwo\n', 'one\ntwo\ntheirs\n')).toEqual({
      text: 'one\ntwo\ntheirs\nmine\n',
      overlaps: [],
    });
    // The user adds after a line the generator removes, or before one it rewrites.
    expect(mergeThreeWay('one\ntwo\nmine\nthree\n', 'one\ntwo\nthree\n', 'one\nthree\n').text).toBe(
      'one\nmine\nthree\n',
    );
    expect(mergeThreeWay('one\nmine\ntwo\nthree\n', 'one\ntwo\nthree\n', 'one\nTWO\nthree\n').text).toBe(
      'one\nmine\nTWO\nthree\n',
    );
    // And the other way round: the generator adds beside the lines the user changed.
    expect(mergeThreeWay('one\nTWO\nthree\n', 'one\ntwo\nthree\n', 'one\ntwo\ntheirs\nthree\n').text).toBe(
      'one\nTWO\ntheirs\nthree\n',
    );
  });
  it('merges the imports both changed name by name, sorted and wrapped as Biome does', () => {
    const base =
      "import {\n  boolean,\n  index,\n  pgTable,\n  text,\n} from 'drizzle-orm/pg-core';\nimport { a } from './a.js';\n\nx\n";
    const yours =
      "import {\n  boolean,\n  index,\n  integer,\n  pgTable,\n  text,\n} from 'drizzle-orm/pg-core';\nimport { a } from './a.js';\n\nx\nmine\n";
    const theirs = "import { index, pgTable, text } from 'drizzle-orm/pg-core';\nimport { b } from './b.js';\n\nX\n";
    expect(mergeThreeWay(yours, base, theirs)).toEqual({
      text: "import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';\nimport { b } from './b.js';\n\nX\nmine\n",
      overlaps: [],
    });
    // A file that no longer starts with its imports merges line by line, as any other: here the
    // import lists overlap.
    const commented = mergeThreeWay(`// mine\n${yours}`, base, theirs);
    expect(commented.text.startsWith('<<<<<<< yours\n// mine\nimport {\n')).toBe(true);
    expect(commented.overlaps[0]?.yours).toEqual([1, 9]);
    // Overlaps below the imports are numbered in the files as they are.
    const clash = mergeThreeWay(yours.replace('\nx\n', '\ny\n'), base, theirs);
    expect(clash.overlaps).toEqual([{ yours: [10, 11], marked: [4, 9] }]);
  });
});

describe('mergePackageJson', () => {
  const before = JSON.stringify({ name: 'a', scripts: { dev: 'x' }, dependencies: { fastify: '5', lru: '1' } });
  const after = JSON.stringify({
    name: 'a',
    scripts: { dev: 'x', gen: 'g' },
    dependencies: { fastify: '5', ioredis: '5' },
  });

  it('changes exactly what the plans differ by and keeps the user entries', () => {
    const current = JSON.stringify({
      name: 'a',
      description: 'mine',
      scripts: { dev: 'x', mine: 'm' },
      dependencies: { zod: '3', fastify: '5', lru: '1' },
    });
    expect(JSON.parse(mergePackageJson(current, before, after))).toEqual({
      name: 'a',
      description: 'mine',
      scripts: { dev: 'x', mine: 'm', gen: 'g' },
      dependencies: { fastify: '5', ioredis: '5', zod: '3' },
    });
  });

  it('keeps a version the user changed, even of a dependency the plan drops', () => {
    const current = JSON.stringify({ name: 'a', scripts: { dev: 'x' }, dependencies: { fastify: '5', lru: '2' } });
    expect(JSON.parse(mergePackageJson(current, before, after)).dependencies).toEqual({
      fastify: '5',
      ioredis: '5',
      lru: '2',
    });
  });

  it('fails loudly on a shape it cannot merge', () => {
    expect(() => mergePackageJson('{"scripts": []}', before, after)).toThrow('"scripts" is not an object');
    expect(() => mergePackageJson('[', before, after)).toThrow(/not valid JSON/);
  });
});

describe('mergeEnvExample', () => {
  it('adds and removes the generator variable blocks, keeping the user lines', () => {
    const before = '# Port\nPORT=3000\n\n# Cache\nCACHE=1\n';
    const after = '# Port\nPORT=3000\n\n# Redis\nREDIS_URL=redis://x\n';
    const current = '# Port\nPORT=3000\n\n# Mine\nMY_KEY=1\n\n# Cache\nCACHE=1\n';
    expect(mergeEnvExample(current, before, after)).toBe(
      '# Port\nPORT=3000\n\n# Mine\nMY_KEY=1\n\n# Redis\nREDIS_URL=redis://x\n',
    );
  });
});

describe('changedStack', () => {
  const stack = withDefaults({ auth: ['none'], monitoring: ['prometheus'] });
  it('switches single kinds and adds to list kinds, none replaced', () => {
    const next = changedStack(stack, ['cache=redis', 'auth=jwt', 'monitoring=elk']);
    expect(next.cache).toBe('redis');
    expect(next.auth).toEqual(['jwt']);
    expect(next.monitoring).toEqual(['prometheus', 'elk']);
    expect(changedStack(stack, ['monitoring=none']).monitoring).toEqual(['none']);
  });
  it('takes a bare value for the one kind that has it, as doctor suggests (add prometheus)', () => {
    expect(changedStack(stack, ['redis']).cache).toBe('redis');
    expect(changedStack(stack, ['elk']).monitoring).toEqual(['prometheus', 'elk']);
    expect(() => changedStack(stack, ['none'])).toThrow(/Expected kind=value/);
  });
  it('refuses what create refuses, with the valid values', () => {
    expect(() => changedStack(stack, ['cache=mongo'])).toThrow(/valid values are memory, redis, memcached, none/);
    expect(() => changedStack(stack, ['colour=red'])).toThrow(/Unknown kind "colour"/);
    expect(() => changedStack(stack, ['mongo'])).toThrow(/Expected kind=value/);
  });
});

describe('resource names', () => {
  it.each([
    ['../x', /Invalid resource name/],
    ['Orders', /Invalid resource name/],
    ['order', /not a plural/],
    ['items', /reserved/],
    ['health', /reserved/],
    ['deletes', /reserved/],
    ['orders', /already has/],
    ['a-very-long-resource-names', /longer than 24/],
  ])('refuses %s', (name, message) => {
    expect(() => checkResourceName(name, ['orders'])).toThrow(UsageError);
    expect(() => checkResourceName(name, ['orders'])).toThrow(message);
  });
  it('spells a name every way templates need', () => {
    expect(resourceNames('order-lines')).toEqual({
      name: 'order-lines',
      table: 'order_lines',
      camel: 'orderLines',
      pascal: 'OrderLines',
      singularCamel: 'orderLine',
      singularPascal: 'OrderLine',
      singularWords: 'order line',
      aSingular: 'an order line',
    });
    expect(resourceNames('users').aSingular).toBe('a user');
    expect(resourceNames('uploads').aSingular).toBe('an upload');
    expect(resourceNames('books').aSingular).toBe('a book');
    expect(resourceNames('categories').singularWords).toBe('category');
    expect(resourceNames('boxes').singularWords).toBe('box');
  });
});

describe('derived migrations', () => {
  const initial = [
    'CREATE TABLE "items" (\n\t"id" uuid PRIMARY KEY NOT NULL,\n\t"name" varchar(200) NOT NULL\n);',
    'CREATE TABLE "users" (\n\t"id" uuid PRIMARY KEY NOT NULL\n);',
    'ALTER TABLE "items" ADD CONSTRAINT "items_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id");',
    'CREATE INDEX "items_created_at_id_idx" ON "items" USING btree ("created_at","id");',
    'CREATE INDEX "users_x_idx" ON "users" USING btree ("x");',
  ].join('--> statement-breakpoint\n');

  it('copies the statements of the items table under the new name', () => {
    expect(derivedMigration(initial, 'order_lines')).toBe(
      [
        'CREATE TABLE "order_lines" (\n\t"id" uuid PRIMARY KEY NOT NULL,\n\t"name" varchar(200) NOT NULL\n);',
        'ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id");',
        'CREATE INDEX "order_lines_created_at_id_idx" ON "order_lines" USING btree ("created_at","id");\n',
      ].join('\n--> statement-breakpoint\n'),
    );
    expect(() => derivedMigration('CREATE TABLE "users" ();', 'orders')).toThrow(/no CREATE TABLE for items/);
  });

  it('chains snapshots and adds each table', () => {
    const snapshot = JSON.stringify({
      id: 'first',
      prevId: '0',
      tables: { 'public.items': { name: 'items', indexes: { items_x_idx: { name: 'items_x_idx' } } } },
    });
    const one = JSON.parse(derivedSnapshot(snapshot, [{ table: 'orders', tag: '0001_orders' }]));
    const two = JSON.parse(
      derivedSnapshot(snapshot, [
        { table: 'orders', tag: '0001_orders' },
        { table: 'bills', tag: '0002_bills' },
      ]),
    );
    expect(one.prevId).toBe('first');
    expect(two.prevId).toBe(one.id);
    expect(Object.keys(two.tables)).toEqual(['public.bills', 'public.items', 'public.orders']);
    expect(two.tables['public.orders']).toEqual({
      name: 'orders',
      indexes: { orders_x_idx: { name: 'orders_x_idx' } },
    });
  });
});
