import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { Stack } from '../../src/catalogue.js';
import { parseField } from '../../src/fields.js';
import { withDefaults } from '../../src/options.js';
import { planProject, type ResourceRecord } from '../../src/plan.js';
import { renderProject } from '../../src/render.js';
import { scratchDir, writeRendered } from '../helpers.js';

/**
 * Code made from fields is printed line by line from the field list, so its formatting depends on
 * names and lengths no template shows: a model with every type, references (two to one table),
 * composite keys and long names is rendered for each database, with and without owners, and
 * Biome (the project's own configuration) must find nothing to reformat, reorder or flag in it.
 */
const fields = (specs: string) => specs.split(' ').map(parseField);
const model: ResourceRecord[] = [
  {
    name: 'customers',
    createdAt: 1,
    fields: fields('name:string(120) email:email! vip:boolean=false birthday:date? note:text? profile:json?'),
  },
  {
    name: 'products',
    createdAt: 2,
    fields: fields(
      'sku:string(40)! price:decimal(10,2) stock:integer=0:index views:bigint? homepage:url? launched:datetime? code:uuid?',
    ),
  },
  {
    name: 'orders',
    createdAt: 3,
    fields: fields('customer:references status:enum(open,paid,shipped)=open:index placed:datetime:index'),
  },
  {
    name: 'warehouse-stock-movements',
    createdAt: 4,
    fields: [
      ...fields('originating_purchase_order:references(orders) replacement_product_for_customer:references(products)'),
      ...fields('quantity_moved_between_locations:integer'),
    ],
    unique: [['originatingPurchaseOrderId', 'replacementProductForCustomerId']],
  },
  // Two references to one table: a join under an alias each.
  {
    name: 'shipments',
    createdAt: 5,
    fields: fields('sender:references(customers) recipient:references(customers)?'),
  },
];

const stacks: Partial<Stack>[] = [
  { db: 'postgres', auth: ['jwt'] },
  { db: 'mysql', auth: ['none'], cache: 'redis' },
  { db: 'sqlite', auth: ['jwt'], cache: 'memory' },
  { db: 'sqlite', auth: ['apikey'] },
];

const biome = path.resolve('node_modules/.bin/biome');

describe('code made from fields', () => {
  it.each(stacks)('is formatted and lint-clean as Biome prints it: $db, auth $auth', async (stack) => {
    const plan = planProject({ name: 'shop', stack: withDefaults(stack), pm: 'npm', resources: model }, '0.0.0');
    const dir = scratchDir('csb-typed-');
    writeRendered(dir, await renderProject(plan));
    const checked = await execa(biome, ['check', '--vcs-enabled=false', 'src'], { cwd: dir, reject: false, all: true });
    expect(checked.exitCode, checked.all).toBe(0);
    const schema = readFileSync(path.join(dir, 'src/db/schema.ts'), 'utf8');
    expect(schema).toContain('export const warehouseStockMovements');
    expect(schema).not.toMatch(/\{\{|\}\}/);
    const shipments = readFileSync(path.join(dir, 'src/modules/shipments/repository.ts'), 'utf8');
    expect(shipments).toContain("const senderTable = alias(customers, 'sender');");
  });
});
