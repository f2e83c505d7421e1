import type { ColumnCode, SchemaColumns } from '../generators/feature.js';
import { decimalSource, type FieldSpec, lengthOf, snakeCase } from './fields.js';
import type { ResourceNames } from './resource.js';

/**
 * What the templates of a module see of its fields: the column, the TypeBox schema and the
 * sample values of each, worked out here once so that the templates only print them.
 */

/** A field as the templates print it. */
export interface PlannedField extends FieldSpec {
  /** `unit_price`. */
  column: string;
  /** `UnitPrice`: its schema's constant in schemas.ts. */
  pascal: string;
  /** `unit price`: prose. */
  words: string;
  /** Absent from a create is an error: neither optional nor defaulted. */
  required: boolean;
  /** TypeBox for its values (with null when optional). */
  typebox: string;
  /** A comment line above that schema, where its type needs one. */
  comment?: string;
  /** Its TypeScript type in a response, for the test's interface. */
  tsType: string;
  /** The value a create that leaves it out stores, as TypeScript: `null`, `'open'`, `0`. */
  fallback?: string;
  /** The referenced resource's names. */
  target?: ResourceNames;
}

/** The fields of the example module (`items`), and of a resource added without fields. */
export const defaultFields: readonly FieldSpec[] = [
  { name: 'name', type: 'string', length: 200, unique: true },
  { name: 'description', type: 'text', length: 2000, optional: true },
];

const capitalise = (word: string) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** JSON Schema keywords of a field's values, and their TypeScript type. */
function valueSchema(field: FieldSpec): { type: string; keywords: string[]; tsType: string; comment?: string } {
  const length = lengthOf(field);
  switch (field.type) {
    case 'string':
      return { type: 'string', keywords: ['minLength: 1', `maxLength: ${length}`], tsType: 'string' };
    case 'text':
      return { type: 'string', keywords: [`maxLength: ${length}`], tsType: 'string' };
    case 'email':
      return { type: 'string', keywords: ["format: 'email'", `maxLength: ${length}`], tsType: 'string' };
    case 'url':
      return {
        type: 'string',
        keywords: ["format: 'uri'", "pattern: '^https?://'", `maxLength: ${length}`],
        tsType: 'string',
        comment: '// http(s) only: a javascript: or data: URL shown as a link would run in a browser.',
      };
    case 'uuid':
    case 'references':
      return { type: 'string', keywords: ["format: 'uuid'", 'maxLength: 36'], tsType: 'string' };
    case 'date':
      return { type: 'string', keywords: ["format: 'date'", 'maxLength: 10'], tsType: 'string' };
    case 'datetime':
      return { type: 'string', keywords: ["format: 'date-time'", 'maxLength: 32'], tsType: 'string' };
    case 'integer':
      return { type: 'integer', keywords: ['minimum: -2147483648', 'maximum: 2147483647'], tsType: 'number' };
    case 'bigint':
      return {
        type: 'integer',
        keywords: ['minimum: Number.MIN_SAFE_INTEGER', 'maximum: Number.MAX_SAFE_INTEGER'],
        tsType: 'number',
        comment: '// Whole numbers JSON carries exactly: up to 2^53 − 1 either way.',
      };
    case 'decimal':
      return {
        type: 'string',
        keywords: [`pattern: ${quote(decimalSource(field))}`, `maxLength: ${(field.precision ?? 0) + 2}`],
        tsType: 'string',
        comment: `// Exact, never a float: a string of at most ${(field.precision ?? 0) - (field.scale ?? 0)} digits before the point and ${field.scale} after.`,
      };
    case 'boolean':
      return { type: 'boolean', keywords: [], tsType: 'boolean' };
    case 'json':
      return {
        type: 'object',
        keywords: ['additionalProperties: true'],
        tsType: 'Record<string, unknown>',
        comment: '// Any JSON object, stored as it is.',
      };
    case 'enum': {
      const values = field.values ?? [];
      return {
        type: 'string',
        keywords: [`enum: [${values.map(quote).join(', ')}${field.optional ? ', null' : ''}]`],
        tsType: values.map(quote).join(' | '),
      };
    }
  }
}

const typeboxBuilder: Record<string, string> = { string: 'String', integer: 'Integer', boolean: 'Boolean' };

/** `Type.String({ maxLength: 120 })`; optional: `Type.Unsafe<string | null>({ type: ['string', 'null'], … })`. */
function typeboxOf(field: FieldSpec): { code: string; tsType: string; comment?: string } {
  const { type, keywords, tsType, comment } = valueSchema(field);
  const nullable = field.optional === true;
  const builder = typeboxBuilder[type];
  let code: string;
  if (nullable || builder === undefined || field.type === 'enum') {
    const typeKeyword = nullable ? `type: ['${type}', 'null']` : `type: '${type}'`;
    const tsValue = nullable ? `${tsType} | null` : tsType;
    code = `Type.Unsafe<${tsValue}>({ ${[typeKeyword, ...keywords].join(', ')} })`;
  } else {
    code = keywords.length === 0 ? `Type.${builder}()` : `Type.${builder}({ ${keywords.join(', ')} })`;
  }
  return { code, tsType: nullable ? `${tsType} | null` : tsType, ...(comment ? { comment } : {}) };
}

/** A field's default as TypeScript. */
const literal = (value: string | number | boolean) => (typeof value === 'string' ? quote(value) : String(value));

/** Each field as the templates print it; references with their targets' names. */
export function plannedFields(
  fields: readonly FieldSpec[],
  namesOf: (resource: string) => ResourceNames,
): PlannedField[] {
  return fields.map((field): PlannedField => {
    const { code, tsType, comment } = typeboxOf(field);
    const fallback = field.default !== undefined ? literal(field.default) : field.optional ? 'null' : undefined;
    return {
      ...field,
      column: snakeCase(field.name),
      pascal: capitalise(field.name),
      words: snakeCase(field.name).replace(/_/g, ' '),
      required: fallback === undefined,
      typebox: code,
      tsType,
      ...(comment ? { comment } : {}),
      ...(fallback !== undefined ? { fallback } : {}),
      ...(field.references !== undefined ? { target: namesOf(field.references) } : {}),
    };
  });
}

/** The project's width: the line a chain or list breaks at when longer, as its formatter does. */
const lineWidth = 100;

/** `key: head.a().b()`, on one line where it fits and, as Biome prints it, broken into one call a line where not. */
function chain(indent: string, key: string, head: string, calls: readonly string[]): string {
  const oneLine = `${indent}${key}: ${head}${calls.join('')},`;
  // Biome (as Prettier) breaks a chain of three calls or more when one takes a function.
  const breaks = calls.length >= 2 && calls.some((call) => call.includes('=>'));
  if (!breaks && oneLine.length <= lineWidth) return oneLine;
  return [`${indent}${key}: ${head}`, ...calls.map((call) => `${indent}  ${call}`)].join('\n').concat(',');
}

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
}

const onDeleteSql = { restrict: 'restrict', cascade: 'cascade', 'set-null': 'set null' } as const;

/**
 * `export const orders = pgTable('orders', { … }, (t) => [ … ]);` for a resource: its id, owner,
 * fields and timestamps; unique keys (per owner where rows have owners); an index for each
 * reference (the foreign key's lookups) and each indexed field (with the id, for a keyset order);
 * and the list's own (created_at desc, id desc), per owner.
 */
export function tableCode({ names, fields, unique = [], columns, owner }: TableInput): TableCode {
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
  const keys: string[] = [];
  const perOwner = owner === undefined ? '' : 'owner_id_';
  const ownerColumn = owner === undefined ? [] : ['t.ownerId'];
  for (const field of fields) {
    const calls: string[] = [];
    if (!field.optional) calls.push('.notNull()');
    const column = columns.field(field, field.column);
    if (field.default !== undefined && column.defaultless !== true) {
      calls.push(`.default(${literal(field.default)})`);
    }
    if (field.unique && owner === undefined) calls.push('.unique()');
    if (field.target !== undefined) {
      calls.push(
        `.references(() => ${field.target.camel}.id, { onDelete: '${onDeleteSql[field.onDelete ?? 'restrict']}' })`,
      );
    }
    lines.push(chain('    ', field.name, use(column), calls));
    if (field.unique && owner !== undefined) {
      imports.add('unique');
      keys.push(`unique('${names.table}_owner_id_${field.column}_unique').on(t.ownerId, t.${field.name})`);
    }
    if (field.target !== undefined) {
      keys.push(`index('${names.table}_${field.column}_idx').on(t.${field.name})`);
    } else if (field.index) {
      keys.push(
        `index('${names.table}_${perOwner}${field.column}_id_idx').on(${[...ownerColumn, `t.${field.name}`, 't.id'].join(', ')})`,
      );
    }
  }
  for (const key of unique) {
    imports.add('unique');
    const columnsOf = key.map((property) => fields.find((field) => field.name === property)?.column ?? property);
    keys.push(
      `unique('${names.table}_${perOwner}${columnsOf.join('_')}_unique').on(${[...ownerColumn, ...key.map((property) => `t.${property}`)].join(', ')})`,
    );
  }
  keys.push(
    `index('${names.table}_${perOwner}created_at_id_idx').on(${[...ownerColumn, 't.createdAt', 't.id'].join(', ')})`,
  );
  const timestamp = use(columns.timestamp('created_at'));
  lines.push(chain('    ', 'createdAt', timestamp, ['.notNull()']));
  lines.push(chain('    ', 'updatedAt', use(columns.timestamp('updated_at')), ['.notNull()']));
  imports.add(columns.table);
  const oneLineKeys = `  (t) => [${keys.join(', ')}],`;
  const keyLines =
    oneLineKeys.length <= lineWidth ? [oneLineKeys] : ['  (t) => [', ...keys.map((key) => `    ${key},`), '  ],'];
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
