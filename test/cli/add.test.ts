import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles, ownMigration, repoRoot, runCli, scratchDir } from '../helpers.js';
import { create, expectHistoryGrown, expectSameProject, isHistory, snapshotOf } from './projects.js';

async function add(dir: string, args: string[]) {
  return runCli(['add', ...args, '--cwd', dir]);
}

describe('add <kind=value> gives the project create would have made with it', () => {
  it.each([
    { from: ['--cache', 'none'], add: ['cache=redis'], to: ['--cache', 'redis'] },
    { from: [], add: ['cache=memcached'], to: ['--cache', 'memcached'] },
    { from: ['--cache', 'redis'], add: ['cache=none'], to: ['--cache', 'none'] },
    // A change of tables: every file as create makes it but the migrations, which stay as they were.
    {
      from: ['--auth', 'none'],
      add: ['auth=jwt'],
      to: ['--auth', 'jwt'],
      history: 'kept' as const,
      tag: '0001_auth_jwt',
    },
    { from: [], add: ['auth=apikey'], to: ['--auth', 'jwt,apikey'], history: 'kept' as const, tag: '0001_auth_apikey' },
    // items:write, which oauth2 brings, is a scope API keys then store: a column of api_keys.
    {
      from: ['--auth', 'apikey'],
      add: ['auth=oauth2'],
      to: ['--auth', 'apikey,oauth2'],
      history: 'kept' as const,
      tag: '0001_auth_oauth2',
    },
    { from: [], add: ['monitoring=opentelemetry'], to: ['--monitoring', 'prometheus,opentelemetry'] },
    { from: [], add: ['monitoring=elk'], to: ['--monitoring', 'prometheus,elk'] },
    { from: [], add: ['db=postgres'], to: ['--db', 'postgres'] },
    {
      from: ['--db', 'mysql', '--deploy', 'none', '--ci', 'none'],
      add: ['deploy=kubernetes', 'ci=github'],
      to: ['--db', 'mysql', '--deploy', 'kubernetes', '--ci', 'github'],
    },
  ])('$from + add $add = create $to', async (example) => {
    const grown = await create(example.from);
    const history = Object.entries(snapshotOf(grown)).filter(([file]) => isHistory(file));
    const result = await add(grown, example.add);
    expect(result.exitCode, result.stderr).toBe(0);
    expectSameProject(grown, await create(example.to), example);
    if (example.history === 'kept') {
      const after = Object.fromEntries(Object.entries(snapshotOf(grown)).filter(([file]) => isHistory(file)));
      expectHistoryGrown(Object.fromEntries(history), after, example.tag ?? '');
    }
  });

  it('says what it cannot combine, with the create error, and writes nothing', async () => {
    const dir = await create([]);
    const before = snapshotOf(dir);
    const result = await add(dir, ['deploy=kubernetes']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--deploy kubernetes needs a database every replica shares/);
    expect((await add(dir, ['cache=mongo'])).stderr).toMatch(/valid values are memory, redis, memcached, none/);
    expect(snapshotOf(dir)).toEqual(before);
  });

  it('tells what to do next and warns that switching databases moves no data', async () => {
    const dir = await create([]);
    const result = await add(dir, ['db=postgres']);
    expect(result.stdout).toMatch(/no data was copied/);
    expect(result.stdout).toMatch(/Next:\n {2}npm install\n {2}set DATABASE_REPLICA_URLS, DATABASE_POOL_MAX in \.env/);
  });
});

describe('add keeps the user changes', () => {
  it('merges a line of the user in src/app.ts with the new version, silently, without --force', async () => {
    const dir = await create([]);
    const app = path.join(dir, 'src/app.ts');
    // A registration of the user's own among the generated ones. (At the very end of the function it
    // would overlap with add resource, which registers its routes there too: a conflict, as in git.)
    const registration = '  await fastify.register(requestId);\n';
    const mine = readFileSync(app, 'utf8')
      .replace(/^/, '// Mine: the first line.\n')
      .replace(registration, `${registration}  fastify.get('/mine', async () => 'mine');\n`);
    expect(mine).toContain("fastify.get('/mine'");
    writeFileSync(app, mine);

    const result = await add(dir, ['cache=redis']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ {2}merge {2}src\/app\.ts/m);
    const merged = readFileSync(app, 'utf8');
    expect(merged.startsWith('// Mine: the first line.\n')).toBe(true);
    expect(merged).toContain(`${registration}  fastify.get('/mine', async () => 'mine');\n`);
    expect(merged).toContain('url: config.REDIS_URL');
    expect(existsSync(`${app}.orig`)).toBe(false);
    // The manifest records the new version's hash, so the user's lines stay theirs for the next add.
    const manifest = JSON.parse(readFileSync(path.join(dir, 'sound-backend.json'), 'utf8'));
    expect(manifest.files['src/app.ts']).not.toBe(createHash('sha256').update(merged).digest('hex'));
    const again = await add(dir, ['resource', 'orders']);
    expect(again.exitCode, again.stderr).toBe(0);
    const twice = readFileSync(app, 'utf8');
    expect(twice.startsWith('// Mine: the first line.\n')).toBe(true);
    expect(twice).toContain("fastify.get('/mine'");
    expect(twice).toContain('url: config.REDIS_URL');
    expect(twice).toContain('await fastify.register(resourceRoutes);');
  });

  it('add resource merges into an edited src/app.ts too', async () => {
    const dir = await create([]);
    const app = path.join(dir, 'src/app.ts');
    writeFileSync(app, `// Mine.\n${readFileSync(app, 'utf8')}`);
    const result = await add(dir, ['resource', 'orders']);
    expect(result.exitCode, result.stderr).toBe(0);
    const merged = readFileSync(app, 'utf8');
    expect(merged.startsWith('// Mine.\n')).toBe(true);
    expect(merged).toContain('await fastify.register(resourceRoutes);');
  });

  it('stops where the user changed the lines the add changes: exit 2, file and lines named, nothing written', async () => {
    const dir = await create([]);
    const app = path.join(dir, 'src/app.ts');
    const generated = readFileSync(app, 'utf8');
    const line = '  await fastify.register(cache, { ttlSeconds: config.CACHE_TTL_SECONDS });\n';
    expect(generated).toContain(line);
    const number = generated.slice(0, generated.indexOf(line)).split('\n').length;
    const mine = generated.replace(line, '  await fastify.register(cache, { ttlSeconds: 30 });\n');
    writeFileSync(app, mine);
    const before = snapshotOf(dir);

    const refused = await add(dir, ['cache=redis']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(
      `src/app.ts: changed by you on lines the new version changes too (line ${number} of yours)`,
    );
    expect(refused.stderr).toMatch(/nothing was changed/);
    expect(refused.stderr).toContain('--merge');
    expect(snapshotOf(dir)).toEqual(before);

    const dry = await add(dir, ['cache=redis', '--merge', '--dry-run']);
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('+<<<<<<< yours\n');
    expect(snapshotOf(dir)).toEqual(before);

    const marked = await add(dir, ['cache=redis', '--merge']);
    expect(marked.exitCode, marked.stderr).toBe(0);
    const text = readFileSync(app, 'utf8');
    expect(text).toContain(
      '<<<<<<< yours\n  await fastify.register(cache, { ttlSeconds: 30 });\n=======\n  await fastify.register(cache, {\n    url: config.REDIS_URL,',
    );
    expect(text).toMatch(/\n>>>>>>> create-sound-backend\n/);
    expect(marked.stdout).toMatch(/Resolve the conflict markers .*\n {2}src\/app\.ts: lines \d+-\d+/);
    expect(existsSync(`${app}.orig`)).toBe(false);
  });

  it('--force still overwrites an overlapping edit, keeping the user version as .orig', async () => {
    const dir = await create([]);
    const app = path.join(dir, 'src/app.ts');
    const mine = readFileSync(app, 'utf8').replace('{ ttlSeconds: config.CACHE_TTL_SECONDS }', '{ ttlSeconds: 30 }');
    writeFileSync(app, mine);
    const forced = await add(dir, ['cache=redis', '--force']);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('Your version is kept as src/app.ts.orig');
    expect(readFileSync(`${app}.orig`, 'utf8')).toBe(mine);
    const text = readFileSync(app, 'utf8');
    expect(text).toContain('url: config.REDIS_URL');
    expect(text).not.toContain('ttlSeconds: 30');
    expect((await add(dir, ['cache=memcached', '--merge', '--force'])).exitCode).toBe(2);
  });

  it('--dry-run with an overlapping edit shows the conflict, what --merge would write, and exits 2', async () => {
    const dir = await create([]);
    const app = path.join(dir, 'src/app.ts');
    writeFileSync(
      app,
      readFileSync(app, 'utf8').replace('{ ttlSeconds: config.CACHE_TTL_SECONDS }', '{ ttlSeconds: 30 }'),
    );
    const before = snapshotOf(dir);
    const result = await add(dir, ['cache=redis', '--dry-run']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toMatch(/^ {2}merge {2}src\/app\.ts .*\(conflict markers: lines \d+-\d+\)$/m);
    expect(result.stdout).toMatch(/^\+<<<<<<< yours$/m);
    expect(result.stdout).toMatch(/^\+>>>>>>> create-sound-backend$/m);
    expect(result.stdout).toContain('Dry run: nothing was written.');
    expect(result.stderr).toMatch(
      /src\/app\.ts: changed by you on lines the new version changes too \(line \d+ of yours\)/,
    );
    expect(snapshotOf(dir)).toEqual(before);
  });

  it('merges package.json and .env.example the user changed, keeping their entries', async () => {
    const dir = await create(['--cache', 'none']);
    const pkgPath = path.join(dir, 'package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
    pkg.scripts.seed = 'tsx scripts/seed.ts';
    pkg.dependencies.zod = '^4.0.0';
    writeFileSync(pkgPath, JSON.stringify(pkg, null, 2));
    writeFileSync(
      path.join(dir, '.env.example'),
      `${readFileSync(path.join(dir, '.env.example'), 'utf8')}\n# Mine\nMY_KEY=\n`,
    );

    const result = await add(dir, ['cache=redis']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('merge  package.json');
    const merged = JSON.parse(readFileSync(pkgPath, 'utf8'));
    expect(merged.scripts.seed).toBe('tsx scripts/seed.ts');
    expect(merged.dependencies).toHaveProperty('zod');
    expect(merged.dependencies).toHaveProperty('ioredis');
    const env = readFileSync(path.join(dir, '.env.example'), 'utf8');
    expect(env).toContain('MY_KEY=');
    expect(env).toContain('REDIS_URL=redis://127.0.0.1:6379');
  });

  it('never touches files it did not make', async () => {
    const dir = await create(['--cache', 'redis']);
    writeFileSync(path.join(dir, 'src/mine.ts'), 'export const mine = 1;\n');
    const result = await add(dir, ['cache=none']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'src/mine.ts'))).toBe(true);
    expect(existsSync(path.join(dir, 'src/cache'))).toBe(false);
  });

  it('never writes .env, the secrets create made for the user, not even with --force', async () => {
    const dir = await create([]);
    const envPath = path.join(dir, '.env');
    const made = readFileSync(envPath, 'utf8');
    expect(made).toMatch(/^JWT_SECRET=[A-Za-z0-9_-]{43}$/m);
    for (const change of [['cache=redis'], ['auth=apikey', '--force'], ['resource', 'orders']]) {
      const result = await add(dir, [...change, '--json']);
      expect(result.exitCode, result.stderr).toBe(0);
      const { changes } = JSON.parse(result.stdout) as { changes: { path: string }[] };
      expect(changes.map((each) => each.path)).not.toContain('.env');
    }
    expect(readFileSync(envPath, 'utf8')).toBe(made);
    writeFileSync(envPath, 'JWT_SECRET=mine-and-at-least-32-characters-long\n');
    expect((await add(dir, ['cache=none', '--force'])).exitCode).toBe(0);
    expect(readFileSync(envPath, 'utf8')).toBe('JWT_SECRET=mine-and-at-least-32-characters-long\n');
    expect(existsSync(`${envPath}.orig`)).toBe(false);
  });

  it('adding jwt later writes no .env, and says which variable to set there', async () => {
    const dir = await create(['--auth', 'none']);
    expect(existsSync(path.join(dir, '.env'))).toBe(false);
    const result = await add(dir, ['auth=jwt']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/set JWT_SECRET, .* in \.env \(see \.env\.example\)/);
    expect(existsSync(path.join(dir, '.env'))).toBe(false);
  });

  it('--dry-run prints the plan and a unified diff, and writes nothing', async () => {
    const dir = await create(['--cache', 'none']);
    const before = snapshotOf(dir);
    const result = await add(dir, ['cache=memory', '--dry-run']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('  create src/cache/memory.ts');
    expect(result.stdout).toContain('  update src/app.ts (cache-memory added appImports, appPlugins)\n');
    expect(result.stdout).toContain('--- a/src/app.ts\n+++ b/src/app.ts\n@@');
    expect(result.stdout).toContain("+import cache from './plugins/cache.js';");
    expect(result.stdout).toContain('--- /dev/null\n+++ b/src/cache/memory.ts');
    expect(result.stdout).toContain('Dry run: nothing was written.');
    expect(snapshotOf(dir)).toEqual(before);
  });

  it('says what each feature added to or removed from the shared files', async () => {
    const dir = await create([]);
    const result = await add(dir, ['cache=redis', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /^ {2}update src\/app\.ts \(cache-redis added appImports, appPlugins, rateLimitOptions; .*cache-memory removed appImports, appPlugins\)$/m,
    );
    expect(result.stderr).toMatch(/^ {2}update src\/config\.ts \(.*cache-redis added configSchema\)$/m);
    expect(result.stderr).toMatch(/^ {2}delete src\/cache\/memory\.ts$/m);
    const { contributions } = JSON.parse(result.stdout) as { contributions: object[] };
    expect(contributions).toContainEqual({
      path: 'src/app.ts',
      feature: 'cache-redis',
      place: 'appPlugins',
      change: 'added',
    });
    expect(contributions).toContainEqual({
      path: 'src/app.ts',
      feature: 'cache-memory',
      place: 'appPlugins',
      change: 'removed',
    });
  });

  it('the same add twice changes nothing the second time, the manifest included', async () => {
    const dir = await create([]);
    expect((await add(dir, ['monitoring=elk'])).exitCode).toBe(0);
    const manifest = readFileSync(path.join(dir, 'sound-backend.json'));
    const before = snapshotOf(dir);
    const again = await add(dir, ['monitoring=elk']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/nothing to do/);
    expect(readFileSync(path.join(dir, 'sound-backend.json')).equals(manifest)).toBe(true);
    expect(snapshotOf(dir)).toEqual(before);
  });

  it('refuses a project it did not generate, saying what it can do there, and writes nothing', async () => {
    const dir = path.join(scratchDir('csb-add-'), 'fastify-app');
    cpSync(path.join(repoRoot, 'test/fixtures/fastify-app'), dir, { recursive: true });
    const before = snapshotOf(dir);
    const result = await add(dir, ['cache=redis']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/has no sound-backend\.json/);
    expect(result.stderr).toMatch(/doctor/);
    expect(snapshotOf(dir)).toEqual(before);
  });
});

describe('add resource <name>', () => {
  it('refuses bad, reserved and existing names with exit 2', async () => {
    const dir = await create([]);
    for (const [name, message] of [
      ['../x', /Invalid resource name/],
      ['items', /reserved/],
      ['class', /reserved/],
    ] as const) {
      const result = await add(dir, ['resource', name]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect((await add(dir, ['resource', 'orders'])).exitCode).toBe(0);
    const again = await add(dir, ['resource', 'orders']);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/already has a resource named "orders"/);
  });

  it('writes the module, its table, migration and tests, and a later add keeps it', async () => {
    const grown = await create(['--cache', 'none']);
    expect((await add(grown, ['resource', 'orders'])).exitCode).toBe(0);
    expect(listFiles(grown)).toEqual(
      expect.arrayContaining([
        'drizzle/0001_orders.sql',
        'drizzle/meta/0001_snapshot.json',
        'src/modules/index.ts',
        'src/modules/orders/repository.ts',
        'src/modules/orders/routes.ts',
        'src/modules/orders/schemas.ts',
        'test/orders.test.ts',
      ]),
    );
    expect(readFileSync(path.join(grown, 'src/db/schema.ts'), 'utf8')).toContain(
      "export const orders = sqliteTable(\n  'orders',",
    );
    expect(JSON.parse(readFileSync(path.join(grown, 'package.json'), 'utf8')).scripts.generate).toBe(
      `npx --yes create-sound-backend@${JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version}`,
    );

    // Resource first, then a feature: the same as the feature first, then the resource.
    expect((await add(grown, ['cache=redis'])).exitCode).toBe(0);
    expect(existsSync(path.join(grown, 'src/modules/orders/cache.ts'))).toBe(true);
    const other = await create(['--cache', 'redis']);
    expect((await add(other, ['resource', 'orders'])).exitCode).toBe(0);
    const when = (dir: string) =>
      JSON.parse(readFileSync(path.join(dir, 'sound-backend.json'), 'utf8')).resources[0].createdAt;
    const journal = (dir: string) =>
      readFileSync(path.join(dir, 'drizzle/meta/_journal.json'), 'utf8').replace(String(when(dir)), 'WHEN');
    expect(journal(grown)).toBe(journal(other));
    const a = snapshotOf(grown);
    const b = snapshotOf(other);
    for (const snapshot of [a, b]) {
      delete snapshot['drizzle/meta/_journal.json'];
      delete snapshot['sound-backend.json'];
    }
    expect(a).toEqual(b);
  });
});

describe('migrations are history: add never rewrites one', () => {
  const journalFile = 'drizzle/meta/_journal.json';
  const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');

  /**
   * The user's own change, as they would make it: a column added to items in schema.ts, and the
   * migration `db:generate` writes for it (SQL, a snapshot chained to the initial one, a journal entry).
   */
  function addOwnMigration(dir: string) {
    const schemaPath = path.join(dir, 'src/db/schema.ts');
    const description = "    description: text('description'),\n";
    const schema = read(dir, 'src/db/schema.ts');
    expect(schema).toContain(description);
    writeFileSync(schemaPath, schema.replace(description, `${description}    price: integer('price'),\n`));
    for (const [file, content] of Object.entries(ownMigration(dir))) writeFileSync(path.join(dir, file), content);
  }

  const history = (dir: string) =>
    Object.fromEntries(
      listFiles(dir)
        .filter(isHistory)
        .map((f) => [f, read(dir, f)]),
    );

  it("add resource numbers its migration after the user's own, appends to the journal, changes none", async () => {
    const dir = await create([]);
    addOwnMigration(dir);
    const before = history(dir);
    const journalBefore = JSON.parse(before[journalFile] ?? '');

    const dry = await add(dir, ['resource', 'tags', '--dry-run']);
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('  create drizzle/0002_tags.sql\n');
    expect(dry.stdout).toContain('--- /dev/null\n+++ b/drizzle/0002_tags.sql\n');
    expect(history(dir)).toEqual(before);

    const result = await add(dir, ['resource', 'tags']);
    expect(result.exitCode, result.stderr).toBe(0);
    const after = history(dir);
    for (const [file, content] of Object.entries(before)) {
      if (file !== journalFile) expect(after[file], file).toBe(content);
    }
    expect(Object.keys(after).sort()).toEqual(
      [...Object.keys(before), 'drizzle/0002_tags.sql', 'drizzle/meta/0002_snapshot.json'].sort(),
    );
    expect(after['drizzle/0002_tags.sql']).toMatch(/^CREATE TABLE `tags`/);
    const journal = JSON.parse(after[journalFile] ?? '');
    expect(journal.entries.slice(0, 2)).toEqual(journalBefore.entries);
    expect(journal.entries.slice(2)).toMatchObject([{ idx: 2, tag: '0002_tags' }]);
    const snapshot = JSON.parse(after['drizzle/meta/0002_snapshot.json'] ?? '');
    expect(snapshot.prevId).toBe('11111111-1111-4111-8111-111111111111');
    expect(snapshot.tables.items.columns).toHaveProperty('price');
    expect(snapshot.tables).toHaveProperty('tags');
    // The user's column stays beside the new table; the manifest knows the tag it was written with.
    const schema = read(dir, 'src/db/schema.ts');
    expect(schema).toContain("    price: integer('price'),\n");
    expect(schema).toContain("export const tags = sqliteTable(\n  'tags',");
    const manifest = JSON.parse(read(dir, 'sound-backend.json'));
    expect(manifest.resources).toMatchObject([{ name: 'tags', migration: '0002_tags' }]);
    expect(result.stdout).toMatch(/Next:\n(?: {2}.*\n)* {2}npm run db:migrate\n/);
  });

  it("add auth=apikey keeps the applied migrations and derives the next one, the user's column kept", async () => {
    const dir = await create(['--auth', 'none']);
    addOwnMigration(dir);
    const before = history(dir);
    const recorded = JSON.parse(read(dir, 'sound-backend.json')).files;

    const result = await add(dir, ['auth=apikey']);
    expect(result.exitCode, result.stderr).toBe(0);
    expectHistoryGrown(before, history(dir), '0002_auth_apikey');
    expect(read(dir, 'src/db/schema.ts')).toContain("export const apiKeys = sqliteTable(\n  'api_keys',");
    expect(read(dir, 'src/db/schema.ts')).toContain("    price: integer('price'),\n");
    expect(result.stdout).toMatch(/^ {2}create drizzle\/0002_auth_apikey\.sql$/m);
    expect(result.stdout).toContain('derived without drizzle-kit');
    expect(result.stdout).not.toMatch(/no migration was written|^ {2}npm run db:generate$|recreate a development/m);
    // The snapshot is the user's last one, with the price column, plus what apikey changes.
    const snapshot = JSON.parse(read(dir, 'drizzle/meta/0002_snapshot.json'));
    expect(snapshot.prevId).toBe('11111111-1111-4111-8111-111111111111');
    expect(Object.keys(snapshot.tables)).toEqual(['api_keys', 'items']);
    expect(Object.keys(snapshot.tables.items.columns).sort()).toEqual(
      ['id', 'owner_id', 'name', 'description', 'price', 'created_at', 'updated_at'].sort(),
    );
    expect(snapshot.tables.items.columns.price).toEqual({
      name: 'price',
      type: 'integer',
      primaryKey: false,
      notNull: false,
      autoincrement: false,
    });
    expect(read(dir, 'drizzle/0002_auth_apikey.sql')).toContain(
      'ALTER TABLE `items` ADD `owner_id` text NOT NULL;--> statement-breakpoint\n',
    );
    // The hashes of the migrations stay those they were written with; the journal's is its new one.
    const manifest = JSON.parse(read(dir, 'sound-backend.json'));
    for (const file of ['drizzle/0000_initial.sql', 'drizzle/meta/0000_snapshot.json']) {
      expect(manifest.files[file], file).toBe(recorded[file]);
    }
    expect(manifest.files[journalFile]).toBe(createHash('sha256').update(read(dir, journalFile)).digest('hex'));
  });
});
