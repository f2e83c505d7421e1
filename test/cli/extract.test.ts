import { execFileSync } from 'node:child_process';
import {
  accessSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
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

  it('--json: the refusal on stderr as without it, nothing on stdout', async () => {
    const before = snapshotOf(shop);
    const result = await runCli(['extract', 'customers', '--port', '3000', '--json'], { cwd: shop });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'orders.customerId references customers: the code of orders joins the customers table and embeds its rows, so customers stays while orders references it.',
      "src/modules/orders/repository.ts:5 imports the table customers from '../../db/schema.js', which would leave with customers.",
      "src/modules/orders/schemas.ts:2 imports '../customers/schemas.js', which would leave with customers.",
      "--port 3000 is the monolith's port: give the service another one, like 3002.",
    ]);
    expect(existsSync(path.join(shop, '../customers-service'))).toBe(false);
    expect(snapshotOf(shop)).toEqual(before);
  });

  it('--help describes it, and the main help lists it', async () => {
    const help = await runCli(['extract', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/extract <module> \[--to <dir>\] \[--port <n>\]/);
    expect(help.stdout).toMatch(/^ {2}--json {12}print one JSON summary of both projects/m);
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

  it('--dry-run --json: one summary of both projects on stdout, the human text on stderr', async () => {
    const before = snapshotOf(shop);
    const result = await runCli(['extract', 'orders', '--dry-run', '--json', '--port', '3005'], { cwd: shop });
    expect(result.exitCode, result.stderr).toBe(0);
    const service = path.join(shop, '../orders-service');
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      extract: 'orders',
      dir: service,
      options: { db: 'postgres', pm: 'npm' },
      port: 3005,
      sharedSecrets: ['JWT_SECRET'],
      next: [
        'cd ../orders-service',
        'npm install',
        "psql postgres://postgres:postgres@127.0.0.1:5432/postgres -c 'CREATE DATABASE orders_service'   # its own database, DATABASE_URL in .env",
        'npm run db:generate',
        'npm run db:migrate',
        'npm run test',
      ],
      dryRun: true,
    });
    expect(summary.files).toContain('src/modules/orders/routes.ts');
    expect(summary.files.filter((file: string) => file.includes('customers'))).toEqual([]);
    expect(summary.plainColumns).toEqual([
      {
        field: 'orders.customerId',
        target: 'customers',
        why: expect.stringMatching(/^customers stays in the monolith/),
      },
    ]);
    // The monolith's part: what add --json gives (the migration that drops the table: below).
    expect(summary.monolith.dir).toBe(shop);
    expect(summary.monolith.changes).toContainEqual({ path: 'src/modules/orders/routes.ts', action: 'update' });
    expect(summary.monolith.changes).toContainEqual({ path: 'src/modules/orders/repository.ts', action: 'delete' });
    expect(summary.monolith.conflicts).toEqual([]);
    expect(summary.moveRows).toContainEqual(
      expect.stringMatching(/^pg_dump --data-only --column-inserts --table=orders /),
    );
    expect(result.stderr).toMatch(/^extract orders would create the service orders-service in /m);
    expect(result.stderr).toMatch(/Dry run: nothing was written\.$/);
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
      database: 'svc',
      port: 3002,
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
      ['orders', { port: 3002, service: 'svc', path: '../svc' }],
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
    expect(manifestAfter.resources[1].remote).toEqual({ port: 3002, service: 'svc', path: '../svc' });

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
    // extract has set it: the next steps ask the user for the service's URL only.
    expect(result.stdout).toMatch(/^ {2}set ORDERS_SERVICE_URL in \.env \(see \.env\.example\)$/m);
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

    // With --json: nothing on stdout, as for a refusal; a dry run prints the summary, conflicts named.
    const json = await runCli(['extract', 'orders', '--to', '../svc', '--json'], { cwd: shop });
    expect(json.exitCode).toBe(2);
    expect(json.stdout).toBe('');
    expect(json.stderr).toContain('extract orders: 1 file in the way, so nothing was changed:');
    const dry = await runCli(['extract', 'orders', '--to', '../svc', '--json', '--dry-run'], { cwd: shop });
    expect(dry.exitCode).toBe(2);
    expect(JSON.parse(dry.stdout).monolith.conflicts).toEqual([
      { path: 'src/modules/orders/repository.ts', reason: 'changed by you, and no longer part of the project' },
    ]);
    expect(existsSync(path.join(shop, '../svc'))).toBe(false);
    expect(snapshotOf(shop)).toEqual(before);
  });

  it('--json names every file of the service and every change of the monolith it wrote', async () => {
    const project = await create(['--db', 'postgres']);
    const added = await runCli(['add', 'resource', 'notes', '--cwd', project]);
    expect(added.exitCode, added.stderr).toBe(0);
    const before = snapshotOf(project);
    const dry = await runCli(['extract', 'notes', '--to', '../notes-svc', '--json', '--dry-run'], { cwd: project });
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout).monolith).toMatchObject({
      dropMigration: 'drizzle/0002_extract_notes.sql',
      next: [],
    });
    expect(snapshotOf(project)).toEqual(before);
    const result = await runCli(['extract', 'notes', '--to', '../notes-svc', '--json'], { cwd: project });
    expect(result.exitCode, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    const service = path.join(project, '../notes-svc');
    expect(summary.dir).toBe(service);
    expect(summary.files).toEqual(listFiles(service));
    expect(summary.dryRun).toBeUndefined();
    expect(summary.plainColumns).toEqual([]);
    expect(summary.monolith.dropMigration).toBe('drizzle/0002_extract_notes.sql');
    expect(readFileSync(path.join(project, summary.monolith.dropMigration), 'utf8')).toBe(
      'DROP TABLE "notes" CASCADE;\n',
    );
    for (const change of summary.monolith.changes as { path: string; action: string }[]) {
      expect(existsSync(path.join(project, change.path)), change.path).toBe(change.action !== 'delete');
      if (change.action === 'update')
        expect(readFileSync(path.join(project, change.path), 'utf8')).not.toBe(before[change.path]);
    }
    expect(summary.monolith.next).toContain('npm run db:migrate');
    expect(result.stderr).toMatch(/^extract notes created the service notes-svc in /m);
    expect(result.stderr).toMatch(/^extract notes: \d+ files changed in /m);
    // The check run before the service is written prints nothing, with --json neither.
    expect(result.stderr).not.toContain('Dry run: nothing was written.');
    // The development secret is named, its value printed nowhere.
    const secret = /^JWT_SECRET=(.+)$/m.exec(readFileSync(path.join(service, '.env'), 'utf8'))?.[1] ?? '';
    expect(summary.sharedSecrets).toEqual(['JWT_SECRET']);
    expect(secret).not.toBe('');
    expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
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

/** The program on PATH, or undefined: its checks skip, saying why, unless SOUND_REQUIRE_SERVICES=1 (CI). */
function onPath(program: string): string | undefined {
  const found = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((folder) => path.join(folder, program))
    .find((file) => {
      try {
        accessSync(file, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  if (found === undefined && process.env.SOUND_REQUIRE_SERVICES === '1') {
    throw new Error(`${program} is not installed, and SOUND_REQUIRE_SERVICES=1 requires it`);
  }
  return found;
}
const kubectl = onPath('kubectl');
const promtool = onPath('promtool');

describe('extract deploys the service beside the monolith: compose, Kubernetes, Prometheus', () => {
  let shop: string;
  let service: string;
  let dryRun: string;
  beforeAll(async () => {
    shop = await create(['--db', 'postgres', '--auth', 'jwt', '--deploy', 'docker,kubernetes']);
    const added = await runCli(['add', 'resource', 'orders', 'total:integer', '--cwd', shop]);
    expect(added.exitCode, added.stderr).toBe(0);
    // The user's own edit to the compose file: merged, never lost.
    const compose = path.join(shop, 'docker-compose.yml');
    writeFileSync(compose, readFileSync(compose, 'utf8').replace('LOG_LEVEL: info', 'LOG_LEVEL: debug'));
    const dry = await runCli(['extract', 'orders', '--dry-run'], { cwd: shop });
    expect(dry.exitCode, dry.stderr).toBe(0);
    dryRun = dry.stdout;
    const result = await runCli(['extract', 'orders'], { cwd: shop });
    expect(result.exitCode, result.stderr).toBe(0);
    service = path.join(shop, '../orders-service');
  });
  const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');

  it('--dry-run lists the deployment files it changes in the monolith', () => {
    for (const file of [
      'deploy/kubernetes/configmap.yaml',
      'observability/prometheus/prometheus.yml',
      'observability/prometheus/alerts.yml',
      'observability/grafana/dashboards/api.json',
      'README.md',
    ]) {
      expect(dryRun, file).toMatch(new RegExp(`^ {2}update ${file.replaceAll('.', '\\.')}\\b`, 'm'));
    }
    // The compose file the user edited is merged with the change, three ways.
    expect(dryRun).toMatch(/^ {2}merge +docker-compose\.yml$/m);
    expect(dryRun).toContain('+  orders-service:\n');
  });

  it('records where the service is, and runs it in compose on a database of its own, keeping the edit', () => {
    const manifest = JSON.parse(read(shop, 'sound-backend.json'));
    expect(manifest.resources[0].remote).toEqual({ port: 3002, service: 'orders-service', path: '../orders-service' });
    const compose = parseYaml(read(shop, 'docker-compose.yml'), { merge: true });
    expect(compose.services.api.environment.LOG_LEVEL).toBe('debug');
    expect(compose.services.api.environment.ORDERS_SERVICE_URL).toBe('http://orders-service:3000');
    expect(compose.services['orders-service'].build).toBe('../orders-service');
    expect(compose.services['orders-service'].environment.DATABASE_URL).toBe(
      'postgres://postgres:postgres@orders-service-db:5432/orders_service',
    );
    expect(compose.services['orders-service-db'].environment.POSTGRES_DB).toBe('orders_service');
    // Its folder has what compose builds.
    expect(existsSync(path.join(shop, compose.services['orders-service'].build, 'Dockerfile'))).toBe(true);
  });

  it('gives the service its own database in .env, .env.example, its compose file and README', () => {
    const url = 'postgres://postgres:postgres@127.0.0.1:5432/orders_service';
    expect(read(service, '.env')).toContain(`\nDATABASE_URL=${url}\n`);
    expect(read(service, '.env.example')).toContain(`\nDATABASE_URL=${url}\n`);
    expect(parseYaml(read(service, 'docker-compose.yml'), { merge: true }).services.db.environment.POSTGRES_DB).toBe(
      'orders_service',
    );
    expect(read(service, 'README.md')).toContain(url);
    expect(read(shop, '.env')).toContain('5432/app\n');
  });

  it.skipIf(kubectl === undefined)(
    `kubectl kustomize builds both folders, the monolith's ConfigMap naming the service's Service${kubectl === undefined ? ' (skipped: kubectl is not installed)' : ''}`,
    () => {
      const built = (dir: string) => {
        const folder = path.join(dir, 'deploy/kubernetes');
        copyFileSync(path.join(folder, 'secret.env.example'), path.join(folder, 'secret.env'));
        const output = execFileSync(kubectl as string, ['kustomize', folder], { encoding: 'utf8' });
        return parseAllDocuments(output).map((document) => document.toJS());
      };
      const monolith = built(shop);
      const services = built(service);
      const config = monolith.find((object) => object.kind === 'ConfigMap');
      expect(config.data.ORDERS_SERVICE_URL).toBe('http://orders-service');
      const target = services.find((object) => object.kind === 'Service');
      expect(target.metadata.name).toBe('orders-service');
      // Applied side by side into one namespace: no object of one is named as one of the other's.
      const names = (objects: { kind: string; metadata: { name: string } }[]) =>
        objects.map((object) => `${object.kind}/${object.metadata.name}`);
      expect(names(monolith).filter((name) => names(services).includes(name))).toEqual([]);
    },
  );

  it.skipIf(promtool === undefined)(
    `promtool accepts the scrape config and alert rules with the service's job${promtool === undefined ? ' (skipped: promtool is not installed)' : ''}`,
    () => {
      const folder = path.join(shop, 'observability/prometheus');
      const config = parseYaml(read(folder, 'prometheus.yml'));
      expect(config.scrape_configs.map((job: { job_name: string }) => job.job_name)).toEqual(['api', 'orders-service']);
      execFileSync(promtool as string, ['check', 'config', '--lint=all', '--lint-fatal', 'prometheus.yml'], {
        cwd: folder,
        encoding: 'utf8',
      });
      execFileSync(promtool as string, ['check', 'rules', '--lint=all', '--lint-fatal', 'alerts.yml'], {
        cwd: folder,
        encoding: 'utf8',
      });
      expect(read(folder, 'alerts.yml')).toContain('expr: up{job="orders-service"} == 0');
      const dashboard = JSON.parse(read(shop, 'observability/grafana/dashboards/api.json'));
      expect(dashboard.templating.list[0]).toMatchObject({ name: 'job', query: 'api,orders-service' });
    },
  );
});
