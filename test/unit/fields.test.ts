import { describe, expect, it } from 'vitest';
import { checkField, checkFields, FieldError, fieldUsage, parseField, pluralOf } from '../../src/fields.js';

/** The problem parseField names for a spec, without the usage line every error ends with. */
function problemOf(spec: string): string {
  try {
    parseField(spec);
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    expect(error.message).toBe(`Field "${spec}": ${error.problem}. ${fieldUsage}`);
    return error.problem;
  }
  throw new Error(`${spec} was accepted`);
}

describe('parseField', () => {
  it.each([
    ['title:string', { name: 'title', type: 'string' }],
    ['title:string(120)', { name: 'title', type: 'string', length: 120 }],
    ['unit_price:decimal(10,2)', { name: 'unitPrice', type: 'decimal', precision: 10, scale: 2 }],
    ['count:decimal( 12 , 0 )', { name: 'count', type: 'decimal', precision: 12, scale: 0 }],
    [
      'status:enum(open,paid)=open:index',
      { name: 'status', type: 'enum', values: ['open', 'paid'], default: 'open', index: true },
    ],
    ['note:string?!', { name: 'note', type: 'string', optional: true, unique: true }],
    ['note:string!?', { name: 'note', type: 'string', optional: true, unique: true }],
    ['stock:integer=-3', { name: 'stock', type: 'integer', default: -3 }],
    ['active:boolean=false', { name: 'active', type: 'boolean', default: false }],
    ['price:decimal(5,2)=12.5', { name: 'price', type: 'decimal', precision: 5, scale: 2, default: '12.5' }],
    ['motto:string=a=b', { name: 'motto', type: 'string', default: 'a=b' }],
    ['email:email!', { name: 'email', type: 'email', unique: true }],
    ['title:string(768)!', { name: 'title', type: 'string', length: 768, unique: true }],
    ['customer:references', { name: 'customerId', type: 'references', references: 'customers' }],
    ['category:references', { name: 'categoryId', type: 'references', references: 'categories' }],
    ['order_line:references?', { name: 'orderLineId', type: 'references', references: 'order-lines', optional: true }],
    ['buyer:references(customers)', { name: 'buyerId', type: 'references', references: 'customers' }],
  ])('%s', (spec, expected) => {
    expect(parseField(spec)).toEqual(expected);
  });

  it.each([
    ['total', 'not name:type'],
    ['total:', 'not name:type'],
    ['1st:string', 'not name:type'],
    ['Total:integer', '"Total" is not a field name'],
    ['total:money', 'unknown type "money"'],
    ['total:Decimal(10,2)', 'not name:type'],
    ['total:decimal', 'decimal needs (precision,scale), e.g. decimal(10,2)'],
    ['total:decimal(10)', 'decimal needs (precision,scale)'],
    ['total:decimal(66,2)', 'the precision is at most 65'],
    ['total:decimal(2,3)', 'the scale cannot exceed the precision'],
    ['total:decimal(0,0)', 'the precision must be a positive whole number'],
    ['total:decimal(10,2)=1.234', 'is not a decimal with at most 2 digits after the point'],
    ['title:string(0)', 'its length must be a positive whole number'],
    ['title:string(65536)', 'its length is at most 65535'],
    ['count:integer(5)', 'integer takes no arguments'],
    ['count:integer=1.5', 'the default "1.5" is not a whole number'],
    ['status:enum', 'enum needs its values'],
    ['status:enum()', 'enum needs its values'],
    ['status:enum(open,open)', 'an enum value is repeated'],
    ['status:enum(Open)', 'enum value "Open" is not lowercase'],
    ['status:enum(open,paid)=closed', 'the default "closed" is not one of open, paid'],
    ['born:date=2020-01-01', 'a date field takes no default'],
    ['id:uuid', '"id" is reserved'],
    ['created_at:datetime', '"createdAt" is reserved'],
    ['owner_id:uuid', '"ownerId" is reserved'],
    ['cursor:string', '"cursor" is reserved'],
    ['body:text!', 'a text field cannot be unique or indexed'],
    ['data:json:index', 'a json field cannot be unique or indexed'],
    ['title:string(769)!', 'holds at most 768 characters'],
    ['site:url!', 'holds at most 768 characters'],
    ['customerId:references', 'name the reference without "Id", it is added: customer:references'],
    ['customer_id:references', 'name the reference without "Id", it is added: customer:references'],
    ['buyerId:references(customers)', 'without "Id", it is added: buyer:references(customers)'],
    ['buyer:references(Customers)', '"Customers" is not a resource name'],
    ['code:string(3)=abcd', 'the default is longer than 3 characters'],
  ])('refuses %s: %s', (spec, problem) => {
    expect(problemOf(spec)).toContain(problem);
  });
});

describe('checkField and checkFields', () => {
  it('needs an optional reference for set-null, and a reference for any on-delete', () => {
    expect(() =>
      checkField({ name: 'customerId', type: 'references', references: 'customers', onDelete: 'set-null' }),
    ).toThrow(/set-null needs an optional reference/);
    expect(() =>
      checkField({
        name: 'customerId',
        type: 'references',
        references: 'customers',
        onDelete: 'set-null',
        optional: true,
      }),
    ).not.toThrow();
    expect(() => checkField({ name: 'total', type: 'integer', onDelete: 'cascade' })).toThrow(/only a reference/);
  });

  it('refuses a field given twice, a reference to a missing resource, and one to itself', () => {
    const total = parseField('total:integer');
    expect(() => checkFields('orders', [total, parseField('total:decimal(10,2)')], ['items'])).toThrow(
      /Field "total" of orders is given twice/,
    );
    const customer = parseField('customer:references');
    expect(() => checkFields('orders', [customer], ['items'])).toThrow(
      /references "customers", which is not a resource of this project \(it has items\)/,
    );
    expect(() => checkFields('orders', [customer], ['customers', 'items'])).not.toThrow();
    expect(() => checkFields('orders', [parseField('parent:references(orders)')], ['orders'])).toThrow(
      /cannot reference itself/,
    );
  });

  it('makes the plural a reference names by default', () => {
    expect(['customer', 'category', 'box', 'match', 'day', 'status'].map(pluralOf)).toEqual([
      'customers',
      'categories',
      'boxes',
      'matches',
      'days',
      'statuses',
    ]);
  });
});
