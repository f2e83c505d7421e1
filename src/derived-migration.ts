import { isDeepStrictEqual } from 'node:util';
import { defaultSql, type MigrationSql } from '../generators/feature.js';
import { snapshotId } from './snapshots.js';

/**
 * A migration for a change of tables where drizzle-kit is not installed, derived as drizzle-kit
 * would write it. The new snapshot is the last one on disk (the user's own tables and columns
 * included) with the generator's change applied: a three-way merge per table and per entry, base
 * the old plan's last snapshot, theirs the new plan's. The SQL takes the new plan's initial
 * migration for new tables, foreign keys and indexes, and writes the rest in drizzle-kit's style.
 * Anything it cannot derive safely is a reason, and the run falls back to `db:generate`.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Entries = Record<string, Json>;
type Table = Record<string, Json> & { name: string; columns: Record<string, Column> };
type Snapshot = Record<string, Json> & { id: string; prevId: string; dialect: string; tables: Record<string, Table> };

interface Column {
  name: string;
  type: string;
  primaryKey?: boolean;
  notNull?: boolean;
  autoincrement?: boolean;
  default?: Json;
  [field: string]: Json | undefined;
}

export interface DeriveInput {
  /** The old plan's last rendered snapshot, the new plan's, and the last one on disk. */
  base: string;
  planned: string;
  disk: string;
  /** The new plan's drizzle/0000_initial.sql: the statements that make its tables. */
  initialSql: string;
  /** The new migration's tag (`0002_<kind>_<value>`), seed of the snapshot's id. */
  tag: string;
  /** The database's statements (its feature's `migrationSql`). */
  sql: MigrationSql;
}

export type Derived = { sql: string; snapshot: string } | { reason: string };

const breakpoint = '--> statement-breakpoint';

/** Why a derivation stops: caught by `deriveMigration` and handed back as the reason. */
class Underivable extends Error {}

/** The three-way result of one entry: the generator's change where the user kept the base. */
function mergeEntry(where: string, base: Json | undefined, theirs: Json | undefined, ours: Json | undefined) {
  if (isDeepStrictEqual(base, theirs)) return ours;
  if (isDeepStrictEqual(base, ours) || isDeepStrictEqual(theirs, ours)) return theirs;
  throw new Underivable(`${where} was changed both by you and by this change`);
}

/**
 * Merges each key of three records. Keys keep the new plan's order, with those only the disk has
 * after the key before them on disk, so a column of the user's stays where they put it.
 */
function mergeRecords(where: string, base: Entries, theirs: Entries, ours: Entries): Entries {
  const order = Object.keys(theirs);
  const oursKeys = Object.keys(ours);
  oursKeys.forEach((key, index) => {
    if (order.includes(key)) return;
    const before = oursKeys
      .slice(0, index)
      .reverse()
      .find((other) => order.includes(other));
    order.splice(before === undefined ? 0 : order.indexOf(before) + 1, 0, key);
  });
  for (const key of Object.keys(base)) if (!order.includes(key)) order.push(key);
  const merged: Entries = {};
  for (const key of order) {
    const value = mergeEntry(`${where}.${key}`, base[key], theirs[key], ours[key]);
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

const isRecord = (value: Json | undefined): value is Entries =>
  value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);

/** A table of all three: its entry lists merged key by key, the rest of its fields as one entry each. */
function mergeTable(key: string, base: Table, theirs: Table, ours: Table): Table {
  const merged: Entries = {};
  for (const field of new Set([...Object.keys(theirs), ...Object.keys(ours)])) {
    const [b, t, o] = [base[field], theirs[field], ours[field]];
    const value =
      isRecord(b) && isRecord(t) && isRecord(o)
        ? mergeRecords(`${key}.${field}`, b, t, o)
        : mergeEntry(`${key}.${field}`, b, t, o);
    if (value !== undefined) merged[field] = value;
  }
  return merged as Table;
}

/** The disk's tables with the generator's change: tables it adds, drops, or changes. */
function mergeTables(base: Snapshot, theirs: Snapshot, ours: Snapshot): Record<string, Table> {
  const tables: Record<string, Table> = { ...ours.tables };
  for (const key of new Set([...Object.keys(base.tables), ...Object.keys(theirs.tables)])) {
    const [b, t, o] = [base.tables[key], theirs.tables[key], ours.tables[key]];
    if (isDeepStrictEqual(b, t)) continue;
    if (b === undefined) {
      if (o !== undefined && !isDeepStrictEqual(o, t)) throw new Underivable(`table ${key} is yours already`);
      tables[key] = t as Table;
    } else if (t === undefined) {
      if (o === undefined) continue;
      if (!isDeepStrictEqual(o, b)) throw new Underivable(`table ${key} goes, but you changed it`);
      delete tables[key];
    } else if (o === undefined) {
      throw new Underivable(`table ${key} changes, but your migrations dropped it`);
    } else {
      tables[key] = mergeTable(key, b, t, o);
    }
  }
  return tables;
}

/** Same key order as drizzle-kit: the tables sorted by key. */
const sortedTables = (tables: Record<string, Table>) =>
  Object.fromEntries(Object.entries(tables).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The statements of a rendered migration, trimmed. */
const statementsOf = (sql: string) =>
  sql
    .split(breakpoint)
    .map((statement) => statement.trim())
    .filter((statement) => statement !== '');

const list = (q: (name: string) => string, names: readonly string[]) => names.map(q).join(',');

const entries = (table: Table | undefined, field: string): Entries =>
  isRecord(table?.[field]) ? (table[field] as Entries) : {};

/** What changed between two versions of a record: keys added, dropped, or whose entry changed. */
function delta(before: Entries, after: Entries) {
  const added = Object.keys(after).filter((key) => !(key in before));
  const dropped = Object.keys(before).filter((key) => !(key in after));
  const changed = Object.keys(after).filter((key) => key in before && !isDeepStrictEqual(before[key], after[key]));
  return { added, dropped, changed };
}

/** The plan's statement that makes `what` (a table, index or foreign key), or a reason when it has none. */
function planStatement(plan: string[], pattern: RegExp, what: string): string {
  const found = plan.find((statement) => pattern.test(statement));
  if (found === undefined) throw new Underivable(`the new plan's initial migration has no statement for ${what}`);
  return found;
}

const escapeRegExp = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A rebuilt table as drizzle-kit creates it, from its snapshot entry (the user's columns included). */
function rebuiltTable(q: (name: string) => string, name: string, table: Table): string {
  const lines = Object.values(table.columns).map(
    (c) =>
      `\t${q(c.name)} ${c.type}${c.primaryKey ? ' PRIMARY KEY' : ''}${c.autoincrement ? ' AUTOINCREMENT' : ''}${defaultSql(c)}${c.notNull ? ' NOT NULL' : ''}`,
  );
  for (const pk of Object.values(entries(table, 'compositePrimaryKeys')) as { columns: string[]; name: string }[]) {
    lines.push(`\tPRIMARY KEY(${list(q, pk.columns)})`);
  }
  for (const unique of Object.values(entries(table, 'uniqueConstraints')) as { name: string; columns: string[] }[]) {
    lines.push(`\tCONSTRAINT ${q(unique.name)} UNIQUE(${list(q, unique.columns)})`);
  }
  type ForeignKey = {
    columnsFrom: string[];
    columnsTo: string[];
    tableTo: string;
    onUpdate?: string;
    onDelete?: string;
  };
  for (const fk of Object.values(entries(table, 'foreignKeys')) as unknown as ForeignKey[]) {
    lines.push(
      `\tFOREIGN KEY (${list(q, fk.columnsFrom)}) REFERENCES ${q(fk.tableTo)}(${list(q, fk.columnsTo)}) ON UPDATE ${fk.onUpdate ?? 'no action'} ON DELETE ${fk.onDelete ?? 'no action'}`,
    );
  }
  for (const check of Object.values(entries(table, 'checkConstraints')) as { name: string; value: string }[]) {
    lines.push(`\tCONSTRAINT "${check.name}" CHECK(${check.value})`);
  }
  return `CREATE TABLE ${q(name)} (\n${lines.join(',\n')}\n);\n`;
}

function createIndexOf(q: (name: string) => string, table: string, index: Record<string, Json>): string {
  if (index.where !== undefined && index.where !== null) throw new Underivable(`index ${index.name} has a where`);
  return `CREATE ${index.isUnique ? 'UNIQUE ' : ''}INDEX ${q(String(index.name))} ON ${q(table)} (${list(q, index.columns as string[])});`;
}

/**
 * Where a database cannot add a foreign key or change a column or constraint in place, drizzle-kit
 * copies the table into a new one and renames it, then makes its indexes again. The columns both
 * versions have carry their rows.
 */
function rebuild(q: (name: string) => string, name: string, before: Table, after: Table): string[] {
  const kept = Object.keys(after.columns).filter((column) => column in before.columns);
  const columns = kept.map((column) => `"${column}"`).join(', ');
  return [
    'PRAGMA foreign_keys=OFF;',
    rebuiltTable(q, `__new_${name}`, after),
    `INSERT INTO ${q(`__new_${name}`)}(${columns}) SELECT ${columns} FROM ${q(name)};`,
    `DROP TABLE ${q(name)};`,
    `ALTER TABLE ${q(`__new_${name}`)} RENAME TO ${q(name)};`,
    'PRAGMA foreign_keys=ON;',
    ...Object.values(entries(after, 'indexes')).map((index) => createIndexOf(q, name, index as Record<string, Json>)),
  ];
}

/** The SQL that takes the disk's tables to the merged ones. */
function migrationSql(w: MigrationSql, disk: Record<string, Table>, next: Record<string, Table>, initialSql: string) {
  const q = w.quote;
  const inPlace = w.constraints;
  const plan = statementsOf(initialSql);
  const createTable = (name: string) =>
    planStatement(plan, new RegExp(`^CREATE TABLE ${escapeRegExp(q(name))} \\(`), `table ${name}`);
  const createIndex = (name: string) =>
    planStatement(plan, new RegExp(`^CREATE (?:UNIQUE )?INDEX ${escapeRegExp(q(name))} ON`), `index ${name}`);
  const addForeignKey = (table: string, name: string) =>
    planStatement(
      plan,
      new RegExp(`^ALTER TABLE ${escapeRegExp(q(table))} ADD CONSTRAINT ${escapeRegExp(q(name))} FOREIGN KEY`),
      `foreign key ${name}`,
    );

  const drops: string[] = [];
  const creates: string[] = [];
  const addColumns: string[] = [];
  const constraints: string[] = [];
  const foreignKeys: string[] = [];
  const indexes: string[] = [];
  const dropColumns: string[] = [];
  const dropTables: string[] = [];
  const rebuilds: string[] = [];

  const { added, dropped, changed } = delta(disk as Entries, next as Entries);
  for (const key of added) {
    const table = next[key] as Table;
    creates.push(createTable(table.name));
    for (const fk of Object.keys(entries(table, 'foreignKeys'))) {
      // A table rebuilt for its constraints declares its foreign keys inside it.
      if (inPlace) foreignKeys.push(addForeignKey(table.name, fk));
    }
    for (const index of Object.keys(entries(table, 'indexes'))) indexes.push(createIndex(index));
  }
  for (const key of dropped) dropTables.push(w.dropTable((disk[key] as Table).name));

  for (const key of changed) {
    const before = disk[key] as Table;
    const after = next[key] as Table;
    const name = after.name;
    for (const field of Object.keys({ ...before, ...after })) {
      if (!['columns', 'indexes', 'foreignKeys', 'uniqueConstraints'].includes(field)) {
        if (!isDeepStrictEqual(before[field], after[field])) throw new Underivable(`${key}.${field} changes`);
      }
    }
    const columns = delta(before.columns as Entries, after.columns as Entries);
    const fks = delta(entries(before, 'foreignKeys'), entries(after, 'foreignKeys'));
    const uniques = delta(entries(before, 'uniqueConstraints'), entries(after, 'uniqueConstraints'));
    const idx = delta(entries(before, 'indexes'), entries(after, 'indexes'));
    const constraintsChange =
      [fks, uniques].some((d) => d.added.length + d.dropped.length + d.changed.length > 0) ||
      Object.values(entries(after, 'foreignKeys')).some((fk) =>
        ((fk as Record<string, string[]>).columnsFrom ?? []).some((column) => columns.added.includes(column)),
      );
    if (inPlace === undefined) {
      if (columns.changed.length > 0 || constraintsChange) {
        for (const index of Object.keys(entries(before, 'indexes'))) drops.push(w.dropIndex(name, index));
        rebuilds.push(...rebuild(q, name, before, after));
        continue;
      }
    } else if (columns.changed.length > 0) {
      throw new Underivable(`${key} changes column ${columns.changed.join(', ')}`);
    }
    /** Only reached with constraints to change where the database changes them in place. */
    const alter = () => {
      if (inPlace === undefined) throw new Underivable(`${key} changes its constraints`);
      return inPlace;
    };
    for (const fk of [...fks.dropped, ...fks.changed]) drops.push(alter().dropForeignKey(name, fk));
    for (const unique of [...uniques.dropped, ...uniques.changed]) drops.push(alter().dropUnique(name, unique));
    for (const index of [...idx.dropped, ...idx.changed]) drops.push(w.dropIndex(name, index));
    for (const column of columns.added) addColumns.push(w.addColumn(name, after.columns[column] as Column));
    for (const unique of [...uniques.added, ...uniques.changed]) {
      const entry = entries(after, 'uniqueConstraints')[unique] as { columns: string[]; nullsNotDistinct?: boolean };
      if (entry.nullsNotDistinct === true) throw new Underivable(`${unique} is NULLS NOT DISTINCT`);
      constraints.push(alter().addUnique(name, unique, entry.columns));
    }
    for (const fk of [...fks.added, ...fks.changed]) foreignKeys.push(addForeignKey(name, fk));
    for (const index of [...idx.added, ...idx.changed]) indexes.push(createIndex(index));
    for (const column of columns.dropped) dropColumns.push(w.dropColumn(name, column));
  }

  const statements = [
    ...drops,
    ...creates,
    ...rebuilds,
    ...addColumns,
    ...constraints,
    ...foreignKeys,
    ...indexes,
    ...dropColumns,
    ...dropTables,
  ];
  if (statements.length === 0) throw new Underivable('the tables change in no way SQL can say');
  // drizzle-kit's layout: a CREATE TABLE ends its own line, the breakpoint follows every statement.
  const laidOut = statements.map((statement) =>
    statement.startsWith('CREATE TABLE') ? `${statement.trimEnd()}\n` : statement,
  );
  return `${laidOut.join(`${breakpoint}\n`)}\n`;
}

/** Derives the next migration and its snapshot, or says why it cannot. */
export function deriveMigration(input: DeriveInput): Derived {
  try {
    const [base, planned, disk] = [input.base, input.planned, input.disk].map((text) => JSON.parse(text) as Snapshot);
    if (base === undefined || planned === undefined || disk === undefined) throw new Underivable('no snapshot');
    if (planned.dialect !== disk.dialect || base.dialect !== disk.dialect) {
      throw new Underivable(`the snapshots are not all ${disk.dialect}`);
    }
    for (const field of Object.keys({ ...planned, ...disk })) {
      if (['id', 'prevId', 'tables', '_meta', 'internal'].includes(field)) continue;
      mergeEntry(field, base[field], planned[field], disk[field]);
      if (!isDeepStrictEqual(base[field], planned[field])) throw new Underivable(`the snapshot's ${field} changes`);
    }
    const tables = mergeTables(base, planned, disk);
    const sql = migrationSql(input.sql, disk.tables, tables, input.initialSql);
    const snapshot = {
      ...disk,
      id: snapshotId(`${disk.id}:${input.tag}`),
      prevId: disk.id,
      tables: sortedTables(tables),
    };
    return { sql, snapshot: JSON.stringify(snapshot, null, 2) };
  } catch (error) {
    if (error instanceof Underivable) return { reason: `no migration derived: ${error.message}` };
    throw error;
  }
}
