import { describe, expect, it } from 'vitest';
import { arrayLiteral, type ChainCall, chain } from '../../src/formatting.js';
import { biomeFormat } from '../biome-format.js';

/** A column's line where the table's columns sit, four spaces in. */
const inTable = (line: string) => `export const table = {\n  columns: {\n${line}\n  },\n};\n`;

const references = (target: string, onDelete: string): ChainCall => ({
  method: '.references',
  args: [`() => ${target}.id`, `{ onDelete: '${onDelete}' }`],
});

describe('code printed as Biome prints it', () => {
  it.each<[string, string, string, ChainCall[]]>([
    ['a short chain', 'name', "varchar('name', { length: 80 })", ['.notNull()']],
    ['a reference that fits', 'shopId', "uuid('shop_id')", [references('shops', 'set null')]],
    [
      'a reference hugging its options',
      'shortRefId',
      "uuid('short_ref_id')",
      [references('warehouseLocations', 'set null')],
    ],
    [
      'a reference with its arguments broken',
      'preferredWarehouseLocationId',
      "uuid('preferred_warehouse_location_id')",
      [references('warehouseLocations', 'set null')],
    ],
    [
      'two calls with a function',
      'shipmentId',
      "uuid('shipment_id')",
      ['.notNull()', references('shipments', 'restrict')],
    ],
    [
      'a long chain without a function',
      'internationalStandardBookNumber',
      "varchar('international_standard_book_number', { length: 20 })",
      ['.notNull()', ".unique('books_international_standard_book_number_unique')"],
    ],
  ])('chain: %s', (_name, key, head, calls) => {
    const code = inTable(chain('    ', key, head, calls));
    expect(code).toBe(biomeFormat(code));
  });

  it.each([
    ['short', ['items:write']],
    ['long', ['items:write', 'products:write', 'warehouse-locations:write', 'order-lines:write', 'x:write']],
  ])('arrayLiteral: %s', (_name, names) => {
    const code = `${arrayLiteral(
      '',
      'export const SCOPES = ',
      names.map((name) => `'${name}'`),
      ';',
    )}\n`;
    expect(code).toBe(biomeFormat(code));
  });
});
