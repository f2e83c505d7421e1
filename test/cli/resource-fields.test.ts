import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers.js';
import { create, snapshotOf } from './projects.js';

/**
 * add resource <name> [field …] and add resources <model>: what the manifest records, and every
 * error exiting 2 with one line per problem and the project left byte for byte as it was.
 * (The files a field renders are the templates' business and tested with them.)
 */

const add = (dir: string, args: string[]) => runCli(['add', ...args, '--cwd', dir]);
const resourcesOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'sound-backend.json'), 'utf8')).resources;
const lines = (text: string) => text.trimEnd().split('\n');

describe('add resource <name> [field …] refuses a bad field: exit 2, one line, nothing written', () => {
  let dir: string;
  let before: Record<string, string>;
  beforeAll(async () => {
    dir = await create([]);
    before = snapshotOf(dir);
  });

  it.each([
    {
      name: 'an unknown type',
      args: ['total:money'],
      error: /^Field "total:money": unknown type "money"\. .*types: string\(n\), text/,
    },
    { name: 'a reserved name', args: ['id:uuid'], error: /^Field "id:uuid": "id" is reserved/ },
    {
      name: 'created_at',
      args: ['created_at:datetime'],
      error: /^Field "created_at:datetime": "createdAt" is reserved/,
    },
    { name: 'owner_id', args: ['owner_id:uuid'], error: /^Field "owner_id:uuid": "ownerId" is reserved/ },
    {
      name: 'a field given twice',
      args: ['unit_price:integer', 'unitPrice:decimal(10,2)'],
      error: /^Field "unitPrice" of orders is given twice/,
    },
    {
      name: 'a reference to a missing resource',
      args: ['customer:references'],
      error:
        /^Field "customerId" of orders references "customers", which is not a resource of this project \(it has items\)/,
    },
    {
      name: 'decimal without a precision',
      args: ['total:decimal'],
      error: /^Field "total:decimal": decimal needs \(precision,scale\), e.g\. decimal\(10,2\)\./,
    },
    {
      name: 'a bad default',
      args: ['status:enum(open,paid)=closed'],
      error: /the default "closed" is not one of open, paid/,
    },
    {
      name: '--on-delete without a reference',
      args: ['total:integer', '--on-delete', 'cascade'],
      error: /^--on-delete cascade is for references, and no field of orders is one/,
    },
    {
      name: '--on-delete set-null on a required reference',
      args: ['item:references', '--on-delete', 'set-null'],
      error: /^Field "item:references": on delete set-null needs an optional reference/,
    },
    {
      name: 'an --on-delete out of range',
      args: ['item:references', '--on-delete', 'nullify'],
      error: /^Invalid --on-delete "nullify": valid values are restrict, cascade, set-null\.$/,
    },
  ])('$name', async ({ args, error }) => {
    const result = await add(dir, ['resource', 'orders', ...args]);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(lines(result.stderr)).toEqual([expect.stringMatching(error)]);
    expect(snapshotOf(dir)).toEqual(before);
  });

  it('checks the resource name before its fields', async () => {
    const result = await add(dir, ['resource', 'Orders', 'total:money']);
    expect(result.exitCode).toBe(2);
    expect(lines(result.stderr)).toEqual([expect.stringMatching(/^Invalid resource name "Orders"\./)]);
  });

  it('takes --on-delete only with add resource', async () => {
    const result = await add(dir, ['cache=redis', '--on-delete', 'cascade']);
    expect(result.exitCode).toBe(2);
    expect(lines(result.stderr)).toEqual([expect.stringMatching(/^--on-delete is for the references of add resource/)]);
    expect(snapshotOf(dir)).toEqual(before);
  });
});

describe('add resource <name> [field …] records the fields', () => {
  it('in the manifest, as given, and a resource without fields as before', async () => {
    const dir = await create([]);
    const plain = await add(dir, ['resource', 'customers']);
    expect(plain.exitCode, plain.stderr).toBe(0);
    const result = await add(dir, [
      'resource',
      'orders',
      'total:decimal(10,2)',
      'status:enum(open,paid)=open:index',
      'customer:references?',
      'item:references?',
      'note:string(80)?!',
      '--on-delete',
      'set-null',
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    const [customers, orders] = resourcesOf(dir);
    expect(Object.keys(customers)).toEqual(['name', 'createdAt', 'migration']);
    expect(orders).toMatchObject({ name: 'orders', migration: '0002_orders' });
    expect(orders.fields).toEqual([
      { name: 'total', type: 'decimal', precision: 10, scale: 2 },
      { name: 'status', type: 'enum', values: ['open', 'paid'], index: true, default: 'open' },
      { name: 'customerId', type: 'references', references: 'customers', optional: true, onDelete: 'set-null' },
      { name: 'itemId', type: 'references', references: 'items', optional: true, onDelete: 'set-null' },
      { name: 'note', type: 'string', length: 80, optional: true, unique: true },
    ]);
    // A later add renders the recorded project again: the fields stay.
    expect((await add(dir, ['cache=redis'])).exitCode).toBe(0);
    expect(resourcesOf(dir)[1].fields).toEqual(orders.fields);
  });
});

const shop = `# The example of add --help, four resources, out of order.
resources:
  order-lines:
    fields:
      order: { type: references, onDelete: cascade }
      product: references
      quantity: integer=1
    unique: [[order, product]]
  orders:
    fields:
      customer: references
      total: decimal(10,2)
      status: enum(open,paid)=open:index
    onDelete: cascade
  customers:
    fields:
      name: string(120)!
      email: email!
  products:
    fields:
      title: string(200)
      price: { type: decimal, precision: 8, scale: 2 }
`;

describe('add resources <model>', () => {
  it('records every resource of a YAML model, each after the ones it references', async () => {
    const dir = await create([]);
    writeFileSync(path.join(dir, 'shop.yaml'), shop);
    const result = await runCli(['add', 'resources', 'shop.yaml'], { cwd: dir });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^add resources customers, orders, products, order-lines: /m);
    const resources = resourcesOf(dir);
    expect(resources.map(({ name, migration }: { name: string; migration: string }) => [name, migration])).toEqual([
      ['customers', '0001_customers'],
      ['orders', '0002_orders'],
      ['products', '0003_products'],
      ['order-lines', '0004_order_lines'],
    ]);
    expect(resources[3]).toMatchObject({
      fields: [
        { name: 'orderId', type: 'references', references: 'orders', onDelete: 'cascade' },
        { name: 'productId', type: 'references', references: 'products' },
        { name: 'quantity', type: 'integer', default: 1 },
      ],
      unique: [['orderId', 'productId']],
    });
    expect(resources[1].fields[0]).toEqual({
      name: 'customerId',
      type: 'references',
      references: 'customers',
      onDelete: 'cascade',
    });
  });

  it("reads JSON of the same shape, referencing resources the project has; no fields are items'", async () => {
    const dir = await create([]);
    expect((await add(dir, ['resource', 'customers'])).exitCode).toBe(0);
    const model = {
      resources: {
        invoices: { fields: { customer: 'references', paid: { type: 'boolean', default: false } } },
        tags: {},
      },
    };
    writeFileSync(path.join(dir, 'model.json'), JSON.stringify(model));
    const result = await add(dir, ['resources', path.join(dir, 'model.json')]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(resourcesOf(dir)[1]).toMatchObject({
      name: 'invoices',
      fields: [
        { name: 'customerId', type: 'references', references: 'customers' },
        { name: 'paid', type: 'boolean', default: false },
      ],
    });
    // No fields: the example module's, recorded, so the run's tables are all declared from fields.
    expect(resourcesOf(dir)[2]).toMatchObject({
      name: 'tags',
      fields: [
        { name: 'name', type: 'string', length: 200, unique: true },
        { name: 'description', type: 'text', length: 2000, optional: true },
      ],
    });
  });
});

describe('add resources <model> refuses a bad file: exit 2, one line per error, nothing written', () => {
  let dir: string;
  let before: Record<string, string>;
  beforeAll(async () => {
    dir = await create([]);
    before = snapshotOf(dir);
  });

  /** Writes the model outside the project (so its snapshot stays the same), runs, returns the lines. */
  async function refused(file: string, content: string | undefined, expected: (string | RegExp)[]) {
    const models = path.join(path.dirname(dir), 'models');
    mkdirSync(models, { recursive: true });
    if (content !== undefined) writeFileSync(path.join(models, file), content);
    const result = await runCli(['add', 'resources', file, '--cwd', dir], { cwd: models });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(lines(result.stderr)).toEqual(
      expected.map((line) => (typeof line === 'string' ? line : expect.stringMatching(line))),
    );
    expect(snapshotOf(dir)).toEqual(before);
  }

  it('a file that is missing, of another kind, or not valid JSON or YAML', async () => {
    await refused('nowhere.yaml', undefined, ['Cannot read the model file nowhere.yaml: no such file.']);
    await refused('shop.toml', '', ['The model file shop.toml is not .json, .yaml or .yml.']);
    await refused('broken.json', '{"resources": ', [/^broken\.json is not valid JSON: /]);
    await refused('twice.yml', 'resources:\n  orders: {}\n  orders: {}\n', ['twice.yml:3:3: Map keys must be unique']);
  });

  it('a file the schema refuses, naming each path', async () => {
    await refused('keys.yaml', 'resources:\n  orders:\n    field:\n      total: integer\n    onDelete: never\n', [
      'resources.orders.field: unknown key; expected fields, onDelete, access, unique',
      'resources.orders.onDelete: "never" is not one of restrict, cascade, set-null',
    ]);
  });

  it('bad fields and names, each with its path', async () => {
    await refused(
      'fields.yaml',
      'resources:\n  items:\n  orders:\n    fields:\n      total: decimal\n      createdAt: datetime\n      client: references\n',
      [
        /^resources\.items: "items" is reserved/,
        'resources.orders.fields.total: decimal needs (precision,scale), e.g. decimal(10,2)',
        /^resources\.orders\.fields\.createdAt: "createdAt" is reserved/,
        /^resources\.orders\.fields\.client: references "clients", which is neither in this file nor a resource of the project/,
      ],
    );
  });

  it('a cycle of references', async () => {
    await refused(
      'cycle.json',
      JSON.stringify({
        resources: { orders: { fields: { invoice: 'references' } }, invoices: { fields: { order: 'references' } } },
      }),
      [/^resources: orders → invoices → orders reference each other in a cycle/],
    );
  });

  it('no file, or two', async () => {
    const none = await add(dir, ['resources']);
    expect(none.exitCode).toBe(2);
    expect(lines(none.stderr)).toEqual([
      expect.stringMatching(/^Expected one model file: add resources <model\.json\|model\.yaml>/),
    ]);
    expect((await add(dir, ['resources', 'a.yaml', 'b.yaml'])).exitCode).toBe(2);
  });
});

describe('the help', () => {
  it('shows a model file that add resources takes as it is', async () => {
    const help = (await runCli(['add', '--help'])).stdout;
    const example = /^ {2}resources:\n(?: {4}.*\n)+/m.exec(help)?.[0] ?? '';
    expect(example).toContain('unique:');
    const dir = await create([]);
    writeFileSync(path.join(path.dirname(dir), 'help.yaml'), example.replace(/^ {2}/gm, ''));
    const result = await add(dir, ['resources', path.join(path.dirname(dir), 'help.yaml')]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(resourcesOf(dir).map((resource: { name: string }) => resource.name)).toEqual([
      'customers',
      'orders',
      'products',
    ]);
  });
});

describe('add resource --owned | --shared | --public-read', () => {
  it('records the access where it is not owned, and renders its routes', async () => {
    const dir = await create(['--auth', 'jwt']);
    const shared = await add(dir, ['resource', 'products', 'sku:string(40)!', '--shared']);
    expect(shared.exitCode, shared.stderr).toBe(0);
    const reviews = await add(dir, ['resource', 'reviews', 'product:references', 'rating:integer', '--public-read']);
    expect(reviews.exitCode, reviews.stderr).toBe(0);
    const owned = await add(dir, ['resource', 'orders', 'product:references', '--owned']);
    expect(owned.exitCode, owned.stderr).toBe(0);
    const [products, reviewsRecord, orders] = resourcesOf(dir);
    expect(products.access).toBe('shared');
    expect(reviewsRecord.access).toBe('public-read');
    expect(orders).not.toHaveProperty('access');
    const routes = (name: string) => readFileSync(path.join(dir, `src/modules/${name}/routes.ts`), 'utf8');
    expect(routes('products')).toContain("fastify.requireScope('products:write')");
    expect(routes('reviews')).toContain('security: []');
    expect(readFileSync(path.join(dir, 'src/db/schema.ts'), 'utf8')).toMatch(/role: .*\.default\('member'\)/);
  });

  it('gives a resource with an access and no fields those of items, declared', async () => {
    const dir = await create(['--auth', 'jwt']);
    const result = await add(dir, ['resource', 'tags', '--public-read', '--yes']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(resourcesOf(dir)[0]).toMatchObject({
      access: 'public-read',
      fields: [{ name: 'name' }, { name: 'description' }],
    });
  });

  it.each([
    {
      name: 'two accesses',
      project: ['--auth', 'jwt'],
      args: ['resource', 'tags', '--shared', '--public-read'],
      error: /^--shared and --public-read disagree: a resource has one access\.$/,
    },
    {
      name: 'an access without auth',
      project: ['--auth', 'none'],
      args: ['resource', 'tags', '--shared'],
      error: /^tags is shared, and the project has no auth: every row is public already\./,
    },
    {
      name: 'a shared resource referencing an owned one',
      project: ['--auth', 'jwt'],
      args: ['resource', 'tags', 'item:references', '--shared'],
      error: /^tags is shared, so its field itemId cannot reference items, whose rows are owned/,
    },
    {
      name: 'an access with a choice',
      project: ['--auth', 'jwt'],
      args: ['cache=redis', '--shared'],
      error: /^--shared is for add resource <name> \[field …\], not for add cache=redis\.$/,
    },
  ])('refuses $name: exit 2, one line, nothing written', async ({ project, args, error }) => {
    const dir = await create(project);
    const before = snapshotOf(dir);
    const result = await add(dir, args);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(lines(result.stderr)).toEqual([expect.stringMatching(error)]);
    expect(snapshotOf(dir)).toEqual(before);
  });

  it('refuses to take auth away from shared and public resources, and lets it be switched', async () => {
    const dir = await create(['--auth', 'apikey']);
    expect((await add(dir, ['resource', 'products', 'sku:string(40)', '--shared'])).exitCode).toBe(0);
    expect((await add(dir, ['resource', 'reviews', 'product:references', '--public-read'])).exitCode).toBe(0);
    const before = snapshotOf(dir);
    for (const args of [
      ['remove', 'auth=apikey'],
      ['remove', 'auth'],
      ['add', 'auth=none'],
    ]) {
      const result = await runCli([...args, '--cwd', dir]);
      expect(result.exitCode, result.stderr).toBe(2);
      expect(lines(result.stderr)).toEqual([
        `${args.join(' ')} would leave the project without auth, and products is shared, reviews is public-read: who may write them needs a caller. Switch auth instead (add auth=<method>).`,
      ]);
      expect(snapshotOf(dir)).toEqual(before);
    }
    const switched = await add(dir, ['auth=jwt']);
    expect(switched.exitCode, switched.stderr).toBe(0);
    expect((await runCli(['remove', 'auth=apikey', '--cwd', dir])).exitCode).toBe(0);
  });

  it('takes access from a model file, and refuses a public resource referencing an owned one there', async () => {
    const dir = await create(['--auth', 'jwt']);
    const model = {
      resources: {
        notes: { access: 'public-read', fields: { customer: 'references' } },
        customers: { fields: { name: 'string(80)' } },
      },
    };
    writeFileSync(path.join(dir, 'model.json'), JSON.stringify(model));
    const before = snapshotOf(dir);
    const refused = await add(dir, ['resources', path.join(dir, 'model.json')]);
    expect(refused.exitCode).toBe(2);
    expect(lines(refused.stderr)).toEqual([
      expect.stringMatching(/^notes is public-read, so its field customerId cannot reference customers/),
    ]);
    expect(snapshotOf(dir)).toEqual(before);

    model.resources.customers = { access: 'shared', fields: { name: 'string(80)' } } as never;
    writeFileSync(path.join(dir, 'model.json'), JSON.stringify(model));
    const result = await add(dir, ['resources', path.join(dir, 'model.json')]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(resourcesOf(dir).map((each: { name: string; access?: string }) => [each.name, each.access])).toEqual([
      ['customers', 'shared'],
      ['notes', 'public-read'],
    ]);
  });
});
