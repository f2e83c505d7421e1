import type { ColumnCode, SchemaColumns } from '../generators/feature.js';
import { sha256 } from './changes.js';
import { type ChainCall, chain, lineWidth, literal } from './formatting.js';
import type { ResourceNames } from './resource.js';
import type { PlannedField } from './resource-fields.js';

/** What a resource's table needs to be declared: its columns' builders, and the schema's helpers. */
export interface TableCode {
  code: string;
  imports: string[];
  helpers: { name: string; code: string }[];
}

export interface TableInput {
  names: ResourceNames;
  fields: readonly PlannedField[];
  /** Composite unique keys, by property. */
  unique?: readonly (readonly string[])[];
  columns: SchemaColumns;
  /** Rows have owners: ids of the users table, or principals' ids where there is none; none without auth. */
  owner?: 'users' | 'principal';
  /**
   * Keys and the list's indexes lead with the owner, as reads are each owner's own (owned); where
   * anyone reads every row (public-read), they are the table's. Default: where rows have owners.
   */
  keyedByOwner?: boolean;
}

/** The longest identifier every database keeps (63 characters): a longer one is cut and made unique by a hash. */
const longestIdentifier = 63;

/** A constraint's or index's name, cut to the longest the database keeps, its end a hash of the whole. */
export function identifier(name: string): string {
  if (name.length <= longestIdentifier) return name;
  return `${name.slice(0, longestIdentifier - 9)}_${sha256(name).slice(0, 8)}`;
}

interface Key {
  kind: 'index' | 'unique';
  name: string;
  columns: string[];
}

const key = (kind: Key['kind'], name: string, columns: string[]): Key => ({ kind, name: identifier(name), columns });

/** `index('name').on(t.a, t.b)`; at an indent, a line of the list, its columns one a line where it is too long. */
function keyCode({ kind, name, columns }: Key, indent?: string): string {
  const head = `${kind}('${name}').on(`;
  if (indent === undefined) return `${head}${columns.join(', ')})`;
  const oneLine = `${indent}${head}${columns.join(', ')}),`;
  if (oneLine.length <= lineWidth) return oneLine;
  return [`${indent}${head}`, ...columns.map((column) => `${indent}  ${column},`), `${indent}),`].join('\n');
}

const onDeleteSql = { restrict: 'restrict', cascade: 'cascade', 'set-null': 'set null' } as const;

/**
 * `export const orders = pgTable('orders', { … }, (t) => [ … ]);` for a resource: its id, owner,
 * fields and timestamps; unique keys (per owner where rows have owners); an index for each
 * reference (the foreign key's lookups) and each indexed field (with the id, for a keyset order);
 * and the list's own (created_at desc, id desc), per owner.
 */
export function tableCode({
  names,
  fields,
  unique = [],
  columns,
  owner,
  keyedByOwner = owner !== undefined,
}: TableInput): TableCode {
  const imports = new Set<string>(['index']);
  const helpers = new Map<string, string>();
  const use = (code: ColumnCode) => {
    for (const name of code.imports) imports.add(name);
    if (code.helper) helpers.set(code.helper.name, code.helper.code);
    return code.code;
  };
  const lines: string[] = [chain('    ', 'id', use(columns.uuid('id')), ['.primaryKey()'])];
  if (owner === 'users') {
    lines.push(
      chain('    ', 'ownerId', use(columns.uuid('owner_id')), [
        '.notNull()',
        ".references(() => users.id, { onDelete: 'cascade' })",
      ]),
    );
  } else if (owner === 'principal') {
    lines.push(chain('    ', 'ownerId', use(columns.principal('owner_id')), ['.notNull()']));
  }
  const keys: Key[] = [];
  const perOwner = keyedByOwner ? 'owner_id_' : '';
  const ownerColumn = keyedByOwner ? ['t.ownerId'] : [];
  for (const field of fields) {
    const calls: ChainCall[] = [];
    if (!field.optional) calls.push('.notNull()');
    const column = columns.field(field, field.column);
    if (field.default !== undefined && column.defaultless !== true) {
      calls.push(`.default(${literal(field.default)})`);
    }
    if (field.unique && !keyedByOwner) {
      // drizzle's name for it, unless too long for the database to keep.
      const name = `${names.table}_${field.column}_unique`;
      calls.push(identifier(name) === name ? '.unique()' : `.unique('${identifier(name)}')`);
    }
    if (field.target !== undefined) {
      calls.push({
        method: '.references',
        args: [`() => ${field.target.camel}.id`, `{ onDelete: '${onDeleteSql[field.onDelete ?? 'restrict']}' }`],
      });
    }
    lines.push(chain('    ', field.name, use(column), calls));
    if (field.unique && keyedByOwner) {
      imports.add('unique');
      keys.push(key('unique', `${names.table}_owner_id_${field.column}_unique`, ['t.ownerId', `t.${field.name}`]));
    }
    if (field.target !== undefined) {
      keys.push(key('index', `${names.table}_${field.column}_idx`, [`t.${field.name}`]));
    } else if (field.index) {
      keys.push(
        key('index', `${names.table}_${perOwner}${field.column}_id_idx`, [...ownerColumn, `t.${field.name}`, 't.id']),
      );
    }
  }
  for (const pair of unique) {
    imports.add('unique');
    const columnsOf = pair.map((property) => fields.find((field) => field.name === property)?.column ?? property);
    keys.push(
      key('unique', `${names.table}_${perOwner}${columnsOf.join('_')}_unique`, [
        ...ownerColumn,
        ...pair.map((property) => `t.${property}`),
      ]),
    );
  }
  keys.push(key('index', `${names.table}_${perOwner}created_at_id_idx`, [...ownerColumn, 't.createdAt', 't.id']));
  const timestamp = use(columns.timestamp('created_at'));
  lines.push(chain('    ', 'createdAt', timestamp, ['.notNull()']));
  lines.push(chain('    ', 'updatedAt', use(columns.timestamp('updated_at')), ['.notNull()']));
  imports.add(columns.table);
  const oneLineKeys = `  (t) => [${keys.map((each) => keyCode(each)).join(', ')}],`;
  const keyLines =
    oneLineKeys.length <= lineWidth
      ? [oneLineKeys]
      : ['  (t) => [', ...keys.map((each) => keyCode(each, '    ')), '  ],'];
  const code = [
    `export const ${names.camel} = ${columns.table}(`,
    `  '${names.table}',`,
    '  {',
    ...lines,
    '  },',
    ...keyLines,
    ');',
  ].join('\n');
  return { code, imports: [...imports], helpers: [...helpers].map(([name, helper]) => ({ name, code: helper })) };
}
