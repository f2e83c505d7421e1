import { describe, expect, it } from 'vitest';
import { parseField } from '../../src/fields.js';
import { resourceNames } from '../../src/resource.js';
import { defaultFields, moduleCode, plannedFields } from '../../src/resource-fields.js';
import { resourceTests, type TestedResource } from '../../src/resource-tests.js';

const context = { owned: false, primary: 'db', core: 'drizzle-orm/sqlite-core' };
const resource = (name: string, specs: string[]): TestedResource => {
  const fields = plannedFields(specs.map(parseField), resourceNames);
  return { ...resourceNames(name), fields, code: moduleCode(resourceNames(name), fields, context) };
};

const customers = resource('customers', ['name:string(120)', 'email:email!', 'note:text?']);
const orders = resource('orders', ['customer:references', 'total:decimal(10,2)', 'status:enum(open,paid)=open']);
const products = resource('products', ['sku:string(40)!']);
const lines = resource('order-lines', ['order:references', 'product:references', 'quantity:integer']);
const cascade = lines.fields.find((field) => field.name === 'orderId');
if (cascade) cascade.onDelete = 'cascade';
const all = [customers, orders, products, lines];
const none = new Set<string>();
const jwt = {
  auth: true,
  owned: true,
  usersTable: true,
  ownedTargets: new Set(all.map((each) => each.name)),
  sharedResources: none,
};
const open = { auth: false, owned: false, usersTable: false, ownedTargets: none, sharedResources: none };

describe('resourceTests', () => {
  it('makes the rows a resource refers to through the API, those they refer to first', () => {
    const tests = resourceTests(lines, [['orderId', 'productId']], all, jwt);
    const order = ['makeCustomer', 'makeOrder', 'makeProduct'].map((maker) =>
      tests.makers.indexOf(`const ${maker} = async (as = headers) => {`),
    );
    expect(order.every((at) => at >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(tests.makers).toContain('customerId: await makeCustomer(as)');
    expect(tests.sample).toContain('orderId: await makeOrder(as)');
    expect(tests.restrict.map((test) => test.name)).toEqual(['productId']);
    expect(tests.cascade.map((test) => test.name)).toEqual(['orderId']);
    expect(tests.uniqueKeys).toBe("    const keys = [['orderId', 'productId']];");
    expect(tests.filters).toBe("['orderId', 'productId']");
    expect(tests.sorts).toBe("['createdAt']");
    // A reference's check answers before the owner's foreign key could.
    expect(tests.ownerGone).toBe(false);
  });

  it('gives unique fields a value of their own in each row', () => {
    const tests = resourceTests(customers, [], all, open);
    expect(tests.sample).toMatch(/email: `email-\$\{i\}@example\.com`/);
    expect(tests.makers).toBe('');
    expect(tests.sample).toMatch(/^ {2}const sample = async \(i: number\): Promise<Payload> =>/);
  });

  it('lists values each type refuses, with why', () => {
    const { values } = resourceTests(orders, [], all, open);
    expect(values).toContain("[1.5, 'a number, not a string']");
    expect(values).toContain("['100000000', 'more than 8 digits before the point']");
    expect(values).toContain("['0.5', '0.50']");
    expect(values).toContain("['not-a-value', 'not in the list']");
    expect(values).toContain("[null, 'null where it may not be']");
    const { values: text } = resourceTests(customers, [], all, open);
    expect(text).toContain('[null, null]');
    expect(text).toContain("'longer than 120 characters'");
  });

  it('fills in defaults and nulls, and stores hostile strings in long enough string fields', () => {
    const tests = resourceTests(resource('items', []), [], all, jwt);
    expect(tests.fallbacks).toBeUndefined();
    const fields = plannedFields(defaultFields, resourceNames);
    const items = { ...resourceNames('items'), fields, code: moduleCode(resourceNames('items'), fields, context) };
    const withDefaults = resourceTests(items, [], all, jwt);
    expect(withDefaults.fallbacks).toBe('    const fallbacks = { description: null };');
    expect(withDefaults.hostile?.values).toHaveLength(5);
    expect(withDefaults.hostile?.create).toContain('name: value, description: value');
    // Too short for "'; DROP TABLE products; --": left out.
    expect(resourceTests(resource('products', ['sku:string(20)']), [], all, open).hostile).toBeUndefined();
    expect(withDefaults.ownerGone).toBe(true);
  });
});

describe('?include=', () => {
  const specs = ['order:references', 'sender:references(customers)', 'recipient:references(customers)?'];
  const codeOf = (name: string, fields: string[]) =>
    moduleCode(resourceNames(name), plannedFields(fields.map(parseField), resourceNames), context);

  it('names each reference, and joins a table two of them share under an alias each', () => {
    const { includes, includeCode } = codeOf('shipments', specs);
    expect(includes.map(({ name, table }) => [name, table])).toEqual([
      ['order', 'orders'],
      ['sender', 'senderTable'],
      ['recipient', 'recipientTable'],
    ]);
    expect(includeCode?.aliasImport).toBe("import { alias } from 'drizzle-orm/sqlite-core';");
    expect(includeCode?.aliases).toContain("const senderTable = alias(customers, 'sender');");
    expect(includeCode?.aliases).toContain("const recipientTable = alias(customers, 'recipient');");
    expect(includeCode?.select).toContain('sender: senderTable, recipient: recipientTable');
    expect(includeCode?.select).toContain('.leftJoin(senderTable, eq(table.senderId, senderTable.id))');
    expect(includeCode?.select).toContain('.leftJoin(recipientTable, eq(table.recipientId, recipientTable.id))');
    // One import of the customers' schema serves both.
    expect(includeCode?.imports.match(/customers\/schemas/g)).toHaveLength(1);
    expect(includeCode?.schemas).toContain("export type Include = 'order' | 'sender' | 'recipient';");
    // A single reference to a table joins the table itself.
    const orders = codeOf('orders', ['customer:references']);
    expect(orders.includeCode?.aliases).toBeUndefined();
    expect(orders.includeCode?.select).toContain('.leftJoin(customers, eq(table.customerId, customers.id))');
  });

  it('gives an alias a name in SQL no table of the query has', () => {
    const code = codeOf('orders', ['orders:references(customers)', 'other:references(customers)']);
    expect(code.includeCode?.aliases).toContain("const ordersTable = alias(customers, 'orders_ref');");
  });

  it('tests each name, the one query that reads them, and the empty optional ones', () => {
    const shipments = resource('shipments', specs);
    const tests = resourceTests(shipments, [], [...all, shipments], open).includes;
    expect(tests?.table).toContain("sender: { field: 'senderId', url: '/v1/customers' },");
    expect(tests?.tables).toBe('/["`](customers|orders|shipments)["`]/');
    expect(tests?.empty?.create).toContain('recipientId: null');
    expect(tests?.empty?.url).toContain('?include=recipient`');
    expect(tests?.empty?.expected).toContain('recipient: null');
    expect(resourceTests(orders, [], all, open).includes?.empty).toBeUndefined();
    expect(resourceTests(customers, [], all, open).includes).toBeUndefined();
  });
});
