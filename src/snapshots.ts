import { sha256 } from './changes.js';

/**
 * A resource's table is the items table under another name. Its migration and drizzle-kit
 * snapshot are made from the rendered initial ones, so they match the schema in every dialect
 * and with or without owners, and the project's drift test (drizzle-kit generate) stays quiet.
 */

const breakpoint = '--> statement-breakpoint';
const template = 'items';

/** `items` → `orders`, `items_name_unique` → `orders_name_unique`; anything else as is. */
function renamed(identifier: string, table: string): string {
  if (identifier === template) return table;
  if (identifier.startsWith(`${template}_`)) return `${table}${identifier.slice(template.length)}`;
  if (identifier === `public.${template}`) return `public.${table}`;
  return identifier;
}

/** The statements of the initial migration that make the items table, for `table`. */
export function derivedMigration(initial: string, table: string): string {
  // Quoted identifiers only ("items" or `items`, as each dialect quotes them): never a word in a string.
  const quotedItems = /([`"])(items(?:_[a-z0-9_]*)?)\1/g;
  const statements = initial
    .split(breakpoint)
    .map((statement) => statement.trim())
    .filter((statement) =>
      /^(?:CREATE TABLE|ALTER TABLE|CREATE (?:UNIQUE )?INDEX [`"][^`"]+[`"] ON) [`"]items[`"]/.test(statement),
    );
  if (!statements.some((statement) => statement.startsWith('CREATE TABLE'))) {
    throw new Error('The initial migration has no CREATE TABLE for items to model a resource on');
  }
  const sql = statements.map((statement) =>
    statement.replace(quotedItems, (_, quote: string, name: string) => `${quote}${renamed(name, table)}${quote}`),
  );
  return `${sql.join(`\n${breakpoint}\n`)}\n`;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function renameDeep(value: Json, table: string): Json {
  if (typeof value === 'string') return renamed(value, table);
  if (Array.isArray(value)) return value.map((item) => renameDeep(item, table));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [renamed(key, table), renameDeep(item, table)]),
    );
  }
  return value;
}

/** A stable UUID-shaped id: rendering the same project twice gives the same snapshots. */
export function snapshotId(seed: string): string {
  const hex = sha256(seed);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The items table of a snapshot, and its key there (`items`, or `public.items` in PostgreSQL). */
function itemsTable(snapshot: { tables: Record<string, Json> }): { key: string; items: Json } {
  const key = Object.keys(snapshot.tables).find((name) => name === template || name === `public.${template}`);
  if (key === undefined) throw new Error('The initial snapshot has no items table to model a resource on');
  return { key, items: snapshot.tables[key] as Json };
}

/** Same key order as drizzle-kit: the tables, sorted, after the ids. */
function snapshotText(snapshot: object, tables: Record<string, Json>): string {
  const sortedTables = Object.fromEntries(Object.entries(tables).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ ...snapshot, tables: sortedTables }, null, 2)}`;
}

/**
 * The snapshot after the migration of the last of `resources`: every table of the initial one
 * plus each resource's, chained by `prevId` to the snapshot before it, as drizzle-kit writes them.
 */
export function derivedSnapshot(initial: string, resources: readonly { table: string; tag: string }[]): string {
  const snapshot = JSON.parse(initial) as { id: string; prevId: string; tables: Record<string, Json> };
  const { key, items } = itemsTable(snapshot);
  let previous = snapshot.id;
  const tables = { ...snapshot.tables };
  for (const resource of resources) {
    tables[renamed(key, resource.table)] = renameDeep(items, resource.table);
  }
  // Each id from the one before, as the snapshot `add resource` appends to a project's history has.
  const ids = resources.map((resource) => {
    const id = snapshotId(`${previous}:${resource.tag}`);
    const pair = { prevId: previous, id };
    previous = id;
    return pair;
  });
  const last = ids.at(-1);
  if (last === undefined) throw new Error('A derived snapshot needs at least one resource');
  return snapshotText({ ...snapshot, id: last.id, prevId: last.prevId }, tables);
}

/**
 * The snapshot after a resource's migration in a project with a history of its own: `previous`
 * (the last snapshot on disk, the user's migrations included) plus the resource's table, modelled
 * on the items table of `initial` (the plan's initial snapshot, so it matches the schema the plan
 * renders for the resource), chained to `previous` by `prevId`.
 */
export function snapshotAfter(previous: string, initial: string, resource: { table: string; tag: string }): string {
  const before = JSON.parse(previous) as { id: string; prevId: string; tables: Record<string, Json> };
  const { key, items } = itemsTable(JSON.parse(initial) as { tables: Record<string, Json> });
  const tables = { ...before.tables, [renamed(key, resource.table)]: renameDeep(items, resource.table) };
  return snapshotText({ ...before, id: snapshotId(`${before.id}:${resource.tag}`), prevId: before.id }, tables);
}
