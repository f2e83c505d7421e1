import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listFiles, runCli, scratchDir } from '../helpers.js';
import { create, snapshotOf } from './projects.js';

/** A postgres + jwt project with customers, and orders referencing them. */
async function createShop(): Promise<string> {
  const shop = await create(['--db', 'postgres', '--auth', 'jwt']);
  for (const resource of [
    ['customers', 'name:string'],
    ['orders', 'customer:references', 'total:integer'],
  ]) {
    const added = await runCli(['add', 'resource', ...resource, '--cwd', shop]);
    expect(added.exitCode, added.stderr).toBe(0);
  }
  return shop;
}

describe('extract refuses, one line per reason, and writes nothing', () => {
  let shop: string;
  beforeAll(async () => {
    shop = await createShop();
  });

  it('a module another module imports, into a folder inside the project, on the monolith port', async () => {
    mkdirSync(path.join(shop, 'notes'), { recursive: true });
    writeFileSync(path.join(shop, 'notes/todo.md'), 'split customers out\n');
    const before = snapshotOf(shop);
    const result = await runCli(['extract', 'customers', '--to', 'notes', '--port', '3000'], { cwd: shop });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'orders.customerId references customers: the code of orders joins the customers table and embeds its rows, so customers stays while orders references it.',
      "src/modules/orders/repository.ts:5 imports the table customers from '../../db/schema.js', which would leave with customers.",
      "src/modules/orders/schemas.ts:2 imports '../customers/schemas.js', which would leave with customers.",
      `--to ${path.join(shop, 'notes')} is not empty (1 entry): the service needs an empty or new folder.`,
      `--to ${path.join(shop, 'notes')} is inside the project: the service is a project of its own, beside it.`,
      "--port 3000 is the monolith's port: give the service another one, like 3002.",
    ]);
    expect(snapshotOf(shop)).toEqual(before);
  });

  it('an unknown module, named with the ones it takes', async () => {
    const result = await runCli(['extract', 'invoices', '--cwd', shop]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'Unknown module "invoices": extract takes a resource added with add resource (customers, orders).',
    );
    expect(existsSync(path.join(shop, '../invoices-service'))).toBe(false);
  });

  it('a folder with no manifest', async () => {
    const dir = scratchDir('csb-extract-');
    const result = await runCli(['extract', 'orders'], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      `${dir} has no sound-backend.json: extract runs inside a project create-sound-backend generated (or pass --cwd <dir>).`,
    );
    expect(existsSync(path.join(dir, '../orders-service'))).toBe(false);
  });

  it('--help describes it, and the main help lists it', async () => {
    const help = await runCli(['extract', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/extract <module> \[--to <dir>\] \[--port <n>\]/);
    expect((await runCli(['--help'])).stdout).toMatch(/extract <module> +move a resource/);
  });
});

describe('extract orders writes the service, a project of its own', () => {
  let shop: string;
  beforeAll(async () => {
    shop = await createShop();
  });

  it("--dry-run names every file of the service, the plain column and the monolith's changes, and writes nothing", async () => {
    const before = snapshotOf(shop);
    const result = await runCli(['extract', 'orders', '--dry-run', '--port', '3005'], { cwd: shop });
    expect(result.exitCode, result.stderr).toBe(0);
    const service = path.join(shop, '../orders-service');
    expect(result.stdout).toMatch(
      new RegExp(
        `^extract orders would create the service orders-service in ${service} \\(port 3005\\), \\d+ files:$`,
        'm',
      ),
    );
    expect(result.stdout).toMatch(/^ {2}create src\/modules\/orders\/routes\.ts$/m);
    expect(result.stdout).toMatch(/^ {2}orders\.customerId: customers stays in the monolith/m);
    // The monolith's side, as add shows it: each change, then its diff.
    expect(result.stdout).toMatch(new RegExp(`^extract orders would change \\d+ files in ${shop}:$`, 'm'));
    expect(result.stdout).toMatch(/^ {2}update src\/modules\/orders\/routes\.ts$/m);
    expect(result.stdout).toMatch(/^ {2}delete src\/modules\/orders\/repository\.ts$/m);
    expect(result.stdout).toMatch(/^ {2}update src\/app\.ts \(resource-remote added [\w, ]*appPlugins/m);
    expect(result.stdout).toContain("+  await fastify.register(ordersService, {\n+    prefix: '/v1/orders',\n");
    expect(result.stdout).toContain('+ORDERS_SERVICE_URL=http://127.0.0.1:3005');
    expect(result.stdout).toMatch(/^ {2}pg_dump --data-only --column-inserts --table=orders /m);
    expect(result.stdout).toMatch(/Dry run: nothing was written\.$/);
    expect(existsSync(service)).toBe(false);
    expect(snapshotOf(shop)).toEqual(before);
  });

  it("writes the service with only orders, its port and the monolith's JWT secret", async () => {
    const before = snapshotOf(shop);
    // An edit of the user's to a file extract changes: merged, never lost.
    const app = path.join(shop, 'src/app.ts');
    writeFileSync(app, `${readFileSync(app, 'utf8')}\n// The shop's own note.\n`);
    const result = await runCli(['extract', 'orders', '--to', '../svc'], { cwd: shop });
    expect(result.exitCode, result.stderr).toBe(0);
    const service = path.join(shop, '../svc');
    const files = listFiles(service);
    // Grafana publishes 3001 with prometheus, the default monitoring: the service takes 3002.
    expect(result.stdout).toContain(`created the service svc in ${service} (port 3002), ${files.length} files:`);
    const manifest = JSON.parse(readFileSync(path.join(service, 'sound-backend.json'), 'utf8'));
    expect(manifest.name).toBe('svc');
    expect(manifest.options).toEqual(JSON.parse(before['sound-backend.json'] ?? '{}').options);
    expect(manifest.resources.map((resource: { name: string }) => resource.name)).toEqual(['orders']);
    expect(files.filter((file) => file.startsWith('src/modules/customers'))).toEqual([]);
    const schema = readFileSync(path.join(service, 'src/db/schema.ts'), 'utf8');
    expect(schema).not.toMatch(/pgTable\(\s*'customers'/);
    expect(schema).toMatch(/customerId: uuid\('customer_id'\)\.notNull\(\)/);
    const env = readFileSync(path.join(service, '.env'), 'utf8');
    expect(env).toMatch(/^PORT=3002$/m);
    const secret = /^JWT_SECRET=(.+)$/m.exec(readFileSync(path.join(shop, '.env'), 'utf8'))?.[1];
    expect(secret).toBeDefined();
    expect(env).toContain(`JWT_SECRET=${secret}`);
    // It verifies the monolith's tokens: no users, no sign-in, and the manifest says so.
    expect(manifest.identity).toEqual({
      mode: 'verify',
      issuer: JSON.parse(before['sound-backend.json'] ?? '{}').name,
    });
    expect(files.filter((file) => file.startsWith('src/modules/auth/'))).toEqual([]);
    expect(files).toContain('src/lib/access-tokens.ts');
    expect(files).toContain('test/access-tokens.test.ts');
    expect(schema).not.toMatch(/pgTable\(\s*'users'|users\.id/);

    // add in the service keeps its identity.
    const added = await runCli(['add', 'resource', 'invoices', 'amount:integer', '--cwd', service]);
    expect(added.exitCode, added.stderr).toBe(0);
    const after = JSON.parse(readFileSync(path.join(service, 'sound-backend.json'), 'utf8'));
    expect(after.identity).toEqual(manifest.identity);
    expect(listFiles(service).filter((file) => file.startsWith('src/modules/auth/'))).toEqual([]);
    expect(readFileSync(path.join(service, 'src/db/schema.ts'), 'utf8')).not.toMatch(/pgTable\(\s*'users'|users\.id/);

    // The monolith serves orders through the service, and keeps the rest.
    const monolith = JSON.parse(readFileSync(path.join(shop, 'sound-backend.json'), 'utf8'));
    expect(
      monolith.resources.map((resource: { name: string; remote?: object }) => [resource.name, resource.remote]),
    ).toEqual([
      ['customers', undefined],
      ['orders', { port: 3002 }],
    ]);
    expect(existsSync(path.join(shop, 'src/modules/orders/repository.ts'))).toBe(false);
    expect(readFileSync(path.join(shop, 'src/modules/orders/routes.ts'), 'utf8')).toContain(
      'createHttpClient({ baseUrl })',
    );
    expect(readFileSync(app, 'utf8')).toMatch(/ordersService[\s\S]*\/\/ The shop's own note\.\n$/);
    expect(readFileSync(path.join(shop, '.env.example'), 'utf8')).toContain('ORDERS_SERVICE_URL=http://127.0.0.1:3002');
    expect(readFileSync(path.join(shop, 'src/db/schema.ts'), 'utf8')).not.toMatch(/pgTable\(\s*'orders'/);
    expect(readFileSync(path.join(shop, 'src/modules/customers/repository.ts'), 'utf8')).toBe(
      before['src/modules/customers/repository.ts'],
    );
    expect(result.stdout).toMatch(/^extract orders: \d+ files changed in /m);

    // Its table is gone from here: a new resource may not reference it.
    const invoice = await runCli(['add', 'resource', 'invoices', 'order:references(orders)', '--cwd', shop]);
    expect(invoice.exitCode).toBe(2);
    expect(invoice.stderr).toContain(
      'references "orders", which is not a resource of this project (it has customers, items)',
    );

    // add keeps rendering orders as the client of its service, from the manifest's remote record.
    const later = await runCli(['add', 'resource', 'invoices', 'amount:integer', '--cwd', shop]);
    expect(later.exitCode, later.stderr).toBe(0);
    expect(later.stdout).not.toMatch(/src\/modules\/orders\//);
    expect(existsSync(path.join(shop, 'src/modules/orders/repository.ts'))).toBe(false);
    const manifestAfter = JSON.parse(readFileSync(path.join(shop, 'sound-backend.json'), 'utf8'));
    expect(manifestAfter.resources.map((resource: { name: string }) => resource.name)).toEqual([
      'customers',
      'orders',
      'invoices',
    ]);
    expect(manifestAfter.resources[1].remote).toEqual({ port: 3002 });

    const again = await runCli(['extract', 'orders', '--to', '../svc'], { cwd: shop });
    expect(again.exitCode).toBe(2);
    expect(again.stderr.split('\n').slice(0, 2)).toEqual([
      'orders was extracted already: the project calls its service (src/modules/orders/routes.ts).',
      expect.stringMatching(/^--to .*svc is not empty \(\d+ entries\)/),
    ]);
  });
});

describe('extract with API keys: the monolith signs their callers for the service', () => {
  it('writes one new secret into both .env files, and the monolith calls with it', async () => {
    const keys = await create(['--db', 'postgres', '--auth', 'apikey']);
    const added = await runCli(['add', 'resource', 'orders', 'total:integer', '--cwd', keys]);
    expect(added.exitCode, added.stderr).toBe(0);
    const result = await runCli(['extract', 'orders', '--to', '../keys-svc'], { cwd: keys });
    expect(result.exitCode, result.stderr).toBe(0);
    const service = path.join(keys, '../keys-svc');
    const serviceEnv = readFileSync(path.join(service, '.env'), 'utf8');
    const secret = /^MONOLITH_SECRET=(.{43})$/m.exec(serviceEnv)?.[1];
    expect(secret).toBeDefined();
    const monolithEnv = path.join(keys, '.env');
    expect(readFileSync(monolithEnv, 'utf8')).toContain(`ORDERS_SERVICE_SECRET=${secret}\n`);
    // Secrets, for this user only.
    expect(statSync(monolithEnv).mode & 0o777).toBe(0o600);
    expect(result.stdout).toContain(
      "The service's .env has MONOLITH_SECRET, and this project's gets ORDERS_SERVICE_SECRET, the same value",
    );
    expect(readFileSync(path.join(keys, '.env.example'), 'utf8')).toMatch(/^ORDERS_SERVICE_SECRET=$/m);
    expect(readFileSync(path.join(keys, 'src/app.ts'), 'utf8')).toContain('secret: config.ORDERS_SERVICE_SECRET');
    // The keys stay here: the service has no table, module or script of them.
    const files = listFiles(service);
    expect(files.filter((file) => file.includes('api-keys') || file.includes('apikey'))).toEqual([]);
    expect(files).toContain('src/lib/service-principal.ts');
    expect(files).toContain('test/service-principal.test.ts');
    expect(existsSync(path.join(keys, 'src/modules/api-keys/verifier.ts'))).toBe(true);
  });
});

describe('extract changes the monolith all or nothing', () => {
  it('a conflict with an edit of the user stops it before the service is written', async () => {
    const shop = await createShop();
    // The repository goes with the module: an edit of the user's to it is in the way.
    const repository = path.join(shop, 'src/modules/orders/repository.ts');
    writeFileSync(repository, `${readFileSync(repository, 'utf8')}\n// Orders are also exported nightly.\n`);
    const before = snapshotOf(shop);
    const result = await runCli(['extract', 'orders', '--to', '../svc'], { cwd: shop });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      'extract orders: 1 file in the way, so nothing was changed:\n  src/modules/orders/repository.ts: changed by you, and no longer part of the project\n',
    );
    expect(existsSync(path.join(shop, '../svc'))).toBe(false);
    expect(snapshotOf(shop)).toEqual(before);
  });

  it('writes the migration that drops the table, derived without drizzle-kit', async () => {
    const project = await create(['--db', 'postgres']);
    const added = await runCli(['add', 'resource', 'notes', '--cwd', project]);
    expect(added.exitCode, added.stderr).toBe(0);
    const result = await runCli(['extract', 'notes', '--to', '../notes-svc'], { cwd: project });
    expect(result.exitCode, result.stderr).toBe(0);
    const journal = JSON.parse(readFileSync(path.join(project, 'drizzle/meta/_journal.json'), 'utf8'));
    const tags = journal.entries.map((entry: { tag: string }) => entry.tag);
    expect(tags).toEqual(['0000_initial', '0001_notes', '0002_extract_notes']);
    expect(readFileSync(path.join(project, 'drizzle/0002_extract_notes.sql'), 'utf8')).toBe(
      'DROP TABLE "notes" CASCADE;\n',
    );
    const snapshot = JSON.parse(readFileSync(path.join(project, 'drizzle/meta/0002_snapshot.json'), 'utf8'));
    expect(Object.keys(snapshot.tables)).not.toContain('public.notes');
    expect(result.stdout).toContain('drizzle/0002_extract_notes.sql was derived without drizzle-kit');
    // The migration is written, not applied: the user moves the rows first.
    expect(result.stdout).toMatch(/^ {2}npm run db:migrate$/m);
  });
});
