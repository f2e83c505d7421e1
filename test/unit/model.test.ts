import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { UsageError } from '../../src/errors.js';
import { modelRecords, modelSchemaFile, pathOf } from '../../src/model.js';
import { checkResourceName } from '../../src/resource.js';

/** A project with `customers` already, and the example items. */
const project = {
  checkName: (name: string) => checkResourceName(name, ['customers']),
  targets: ['customers', 'items'],
};

const recordsOf = (yaml: string) => modelRecords(parse(yaml), 'shop.yaml', project);

/** The lines of the usage error a model gives. */
function errorsOf(data: unknown): string[] {
  try {
    modelRecords(typeof data === 'string' ? parse(data) : data, 'shop.yaml', project);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return error.message.split('\n');
  }
  throw new Error('the model was accepted');
}

describe('the model schema', () => {
  it('is a valid draft-07 schema that ajv compiles in strict mode', () => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true });
    expect(() => ajv.compile(JSON.parse(readFileSync(modelSchemaFile, 'utf8')))).not.toThrow();
  });
});

describe('modelRecords', () => {
  it('reads both forms of a field, in dependency order, with composite keys by JSON name', () => {
    const records = recordsOf(`
resources:
  order-lines:
    fields:
      order: { type: references, onDelete: cascade }
      product: references
      quantity: { type: integer, default: 1 }
    unique: [[order, productId]]
  orders:
    fields:
      customer: references
      total: decimal(10,2)
      status: { type: enum, values: [open, paid], default: open, index: true }
      note: { type: string, length: 80, optional: true, unique: true }
    onDelete: cascade
  products:
    fields:
      title: string(200)!
      price: { type: decimal, precision: 8, scale: 2, default: 9.5 }
  tags:
`);
    expect(records).toEqual([
      {
        name: 'orders',
        fields: [
          { name: 'customerId', type: 'references', references: 'customers', onDelete: 'cascade' },
          { name: 'total', type: 'decimal', precision: 10, scale: 2 },
          { name: 'status', type: 'enum', values: ['open', 'paid'], default: 'open', index: true },
          { name: 'note', type: 'string', length: 80, optional: true, unique: true },
        ],
        unique: [],
      },
      {
        name: 'products',
        fields: [
          { name: 'title', type: 'string', length: 200, unique: true },
          { name: 'price', type: 'decimal', precision: 8, scale: 2, default: '9.5' },
        ],
        unique: [],
      },
      {
        name: 'order-lines',
        fields: [
          { name: 'orderId', type: 'references', references: 'orders', onDelete: 'cascade' },
          { name: 'productId', type: 'references', references: 'products' },
          { name: 'quantity', type: 'integer', default: 1 },
        ],
        unique: [['orderId', 'productId']],
      },
      { name: 'tags', fields: [], unique: [] },
    ]);
  });

  it("lets a field's own onDelete win over its resource's, and records restrict as the default", () => {
    const [orders] = recordsOf(`
resources:
  orders:
    fields:
      customer: { type: references, onDelete: restrict }
      item: references?
    onDelete: set-null
`);
    expect(orders?.fields).toEqual([
      { name: 'customerId', type: 'references', references: 'customers' },
      { name: 'itemId', type: 'references', references: 'items', optional: true, onDelete: 'set-null' },
    ]);
  });

  it('names the path of every schema error, one line each, all at once', () => {
    expect(
      errorsOf({
        resources: {
          orders: {
            fields: { total: { type: 'decimal', precison: 2 }, count: 5, kind: { type: 'money' }, size: {} },
            onDelet: 'cascade',
            onDelete: 'nothing',
            unique: [['total']],
          },
        },
        extra: true,
      }),
    ).toEqual([
      'extra: unknown key; expected resources',
      'resources.orders.onDelet: unknown key; expected fields, onDelete, access, unique',
      'resources.orders.fields.total.precison: unknown key; expected type, length, precision, scale, values, references, optional, unique, index, default, onDelete',
      'resources.orders.fields.count: must be a string or an object',
      'resources.orders.fields.kind.type: "money" is not one of string, text, integer, bigint, decimal, boolean, date, datetime, uuid, email, url, json, enum, references',
      'resources.orders.fields.size: type is missing',
      'resources.orders.onDelete: "nothing" is not one of restrict, cascade, set-null',
      'resources.orders.unique[0]: must NOT have fewer than 2 items',
    ]);
    expect(errorsOf('[]')).toEqual(['shop.yaml: must be an object']);
    expect(errorsOf('resources: {}')).toEqual(['resources: is empty']);
    expect(errorsOf('{}')).toEqual(['shop.yaml: resources is missing']);
  });

  it("explains a name the schema's pattern refuses as the command line does", () => {
    expect(errorsOf('resources:\n  Orders:\n    fields:\n      Total: integer\n')).toEqual([
      expect.stringMatching(/^resources\.Orders: Invalid resource name "Orders"\. Resource names are plural/),
      expect.stringMatching(/^resources\.Orders\.fields\.Total: "Total" is not a field name/),
    ]);
  });

  it('names each bad field, resource and key by its path, with the problem alone', () => {
    expect(
      errorsOf(`
resources:
  customers:
    fields:
      name: string
  users:
  orders:
    fields:
      total: decimal
      id: uuid
      weird: { type: integer, length: 3 }
      client: references
      note: text
      unit_price: integer
      unitPrice: integer
      mode: { type: string, default: 5, values: [a] }
    unique: [[note, total], [client, nope]]
  refunds:
    fields:
      amount: integer
    onDelete: cascade
`),
    ).toEqual([
      'resources.customers: The project already has a resource named "customers".',
      'resources.users: "users" is reserved (a module or route the project has or may get, or a JavaScript word). Choose another name.',
      'resources.orders.fields.total: decimal needs (precision,scale), e.g. decimal(10,2)',
      expect.stringMatching(/^resources\.orders\.fields\.id: "id" is reserved: every resource has id/),
      'resources.orders.fields.weird.length: an integer field takes no length; only a string or text field does',
      'resources.orders.fields.client: references "clients", which is neither in this file nor a resource of the project (customers, items, users, orders, refunds); name the target: references(<resource>)',
      'resources.orders.fields.unitPrice: the same field as unit_price (both are unitPrice)',
      'resources.orders.fields.mode.values: a string field takes no values; only an enum field does',
      'resources.orders.unique[1]: "nope" is not a field of orders',
      'resources.refunds.onDelete: is for references, and no field of refunds is one',
    ]);
  });

  it('refuses a text field in a composite key, and a key too long to index', () => {
    expect(
      errorsOf(`
resources:
  posts:
    fields:
      body: text
      slug: string(500)
      title: string(300)
      code: string(20)
    unique: [[body, code], [slug, title], [code, title]]
`),
    ).toEqual([
      'resources.posts.unique[0]: a text field (body) cannot be part of a unique key; use string(n)',
      'resources.posts.unique[1]: its strings hold 800 characters together, and a unique key holds at most 768; give them shorter lengths (string(n))',
    ]);
  });

  it('names a cycle of references', () => {
    expect(
      errorsOf(`
resources:
  invoices:
    fields: { customer: references }
  payments:
    fields: { invoice: references, refund: references }
  refunds:
    fields: { payment: references }
`),
    ).toEqual([
      'resources: payments → refunds → payments reference each other in a cycle; each resource can reference only ones made before it, so make one of these references a plain field (uuid) instead',
    ]);
  });
});

describe('pathOf', () => {
  it('turns a JSON pointer into the dotted path a person reads', () => {
    expect(pathOf('')).toBe('');
    expect(pathOf('/resources/order-lines/unique/0/1')).toBe('resources.order-lines.unique[0][1]');
    expect(pathOf('/a~1b/c~0d')).toBe('a/b.c~d');
  });
});
