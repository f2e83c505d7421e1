import type { ColumnCode, SchemaColumns } from '../generators/feature.js';
import { sha256 } from './changes.js';
import { decimalSource, type FieldSpec, type FieldType, lengthOf, snakeCase } from './fields.js';
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
  /** TypeBox for its values (with null when optional), and its constant in schemas.ts, formatted. */
  typebox: string;
  declaration: string;
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
        // Typed as a string, as its column is: the schema checks the value.
        tsType: 'string',
      };
    }
  }
}

const typeboxBuilder: Record<string, string> = { string: 'String', integer: 'Integer', boolean: 'Boolean' };

/**
 * `Type.String({ maxLength: 120 })`; optional: `Type.Unsafe<string | null>({ type: ['string', 'null'], … })`:
 * the builder, and the keywords of its object (none: `Type.Boolean()`).
 */
function typeboxOf(field: FieldSpec): { builder: string; keywords: string[]; tsType: string; comment?: string } {
  const { type, keywords, tsType, comment } = valueSchema(field);
  const nullable = field.optional === true;
  const builder = typeboxBuilder[type];
  const common = { tsType: nullable ? `${tsType} | null` : tsType, ...(comment ? { comment } : {}) };
  if (nullable || builder === undefined || field.type === 'enum') {
    const typeKeyword = nullable ? `type: ['${type}', 'null']` : `type: '${type}'`;
    return { builder: `Type.Unsafe<${common.tsType}>`, keywords: [typeKeyword, ...keywords], ...common };
  }
  return { builder: `Type.${builder}`, keywords, ...common };
}

/** A field's default as TypeScript. */
const literal = (value: string | number | boolean) => (typeof value === 'string' ? quote(value) : String(value));

/** Each field as the templates print it; references with their targets' names. */
export function plannedFields(
  fields: readonly FieldSpec[],
  namesOf: (resource: string) => ResourceNames,
): PlannedField[] {
  return fields.map((field): PlannedField => {
    const { builder, keywords, tsType, comment } = typeboxOf(field);
    const code = keywords.length === 0 ? `${builder}()` : `${builder}({ ${keywords.join(', ')} })`;
    const fallback = field.default !== undefined ? literal(field.default) : field.optional ? 'null' : undefined;
    return {
      ...field,
      column: snakeCase(field.name),
      pascal: capitalise(field.name),
      // A reference by what it names: `customerId` is the customer.
      words: snakeCase(field.references === undefined ? field.name : field.name.replace(/Id$/, '')).replace(/_/g, ' '),
      required: fallback === undefined,
      typebox: code,
      declaration:
        keywords.length === 0
          ? `const ${capitalise(field.name)} = ${builder}();`
          : objectCall('', `const ${capitalise(field.name)} = ${builder}(`, keywords, ');'),
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
  const keys: Key[] = [];
  const perOwner = owner === undefined ? '' : 'owner_id_';
  const ownerColumn = owner === undefined ? [] : ['t.ownerId'];
  for (const field of fields) {
    const calls: string[] = [];
    if (!field.optional) calls.push('.notNull()');
    const column = columns.field(field, field.column);
    if (field.default !== undefined && column.defaultless !== true) {
      calls.push(`.default(${literal(field.default)})`);
    }
    if (field.unique && owner === undefined) {
      // drizzle's name for it, unless too long for the database to keep.
      const name = `${names.table}_${field.column}_unique`;
      calls.push(identifier(name) === name ? '.unique()' : `.unique('${identifier(name)}')`);
    }
    if (field.target !== undefined) {
      calls.push(
        `.references(() => ${field.target.camel}.id, { onDelete: '${onDeleteSql[field.onDelete ?? 'restrict']}' })`,
      );
    }
    lines.push(chain('    ', field.name, use(column), calls));
    if (field.unique && owner !== undefined) {
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

/** `head({ a, b })` on one line where it fits at `indent`, else one entry a line, as Biome prints it. */
export function objectCall(indent: string, prefix: string, entries: readonly string[], suffix: string): string {
  if (entries.length === 0) return `${indent}${prefix}{}${suffix}`;
  const oneLine = `${indent}${prefix}{ ${entries.join(', ')} }${suffix}`;
  if (oneLine.length <= lineWidth) return oneLine;
  return [`${indent}${prefix}{`, ...entries.map((entry) => `${indent}  ${entry},`), `${indent}}${suffix}`].join('\n');
}

/** `fn(a, b)` on one line where it fits at `indent`, else one argument a line. */
export function callArgs(indent: string, prefix: string, args: readonly string[], suffix: string): string {
  const oneLine = `${indent}${prefix}(${args.join(', ')})${suffix}`;
  if (oneLine.length <= lineWidth) return oneLine;
  return [`${indent}${prefix}(`, ...args.map((arg) => `${indent}  ${arg},`), `${indent})${suffix}`].join('\n');
}

/** What the module's templates print of its fields, formatted. */
export interface ModuleCode {
  /** schemas.ts: a constant for each field's values. */
  declarations: string;
  /** Some field may be null. */
  nullable: boolean;
  /** schemas.ts: CreateEntry's and UpdateEntry's properties. */
  createProperties: string;
  updateProperties: string;
  /** repository.ts: the row a create inserts, one property a line. */
  rowProperties: string;
  /** Fields whose stored form differs from what the API was sent (12.5 → 12.50): creates read the row back. */
  readsBack: boolean;
  /** How, for a comment: `12.5 as 12.50`. */
  storedForms: string;
  /** The 409 a broken unique key answers, or undefined without one; and its throw, formatted. */
  uniqueConflict?: string;
  throwConflict?: string;
  /** routes.ts: the problems of a create or an update, with why. */
  writeProblems: string;
  /** What a write is wrapped in to answer that 409: `withUniqueKeys(() => `, or nothing. */
  guard: string;
  /** The references, each checked on create and update. */
  references: PlannedField[];
  /** repository.ts: whether a referenced row is there for the caller, and the checks of create and update. */
  visible?: string;
  checkReferences?: string;
  /** The list's filters (`?status=paid`), and the list query's properties for them. */
  filters: PlannedField[];
  filterProperties: string;
  /** repository.ts: a condition for each filter given; undefined without filters. */
  filtersOf?: string;
  /** README.md: the fields, the sorts and the filters, in prose. */
  readmeFields: string;
  readmeSorts: string;
  readmeFilters: string;
  /** The orders a list can take, with the index each reads. */
  sorts: { key: string; pascal: string; index: string }[];
  /** schemas.ts: `SortValues`, `SortKey`, `ListSort` and the `?sort=` schema. */
  sortSchema: string;
  /** repository.ts: the column of each sort, and the index a hint names. */
  sortColumns: string;
  pageIndex: string;
  /** repository.ts: its import of the tables, and of the errors it throws. */
  schemaImport: string;
  errorsImport: string;
}

export interface ModuleContext {
  /** Rows have owners: a reference must be to one of the caller's rows. */
  owned: boolean;
  /** What reads the caller's own writes: the primary, where reads may go to replicas. */
  primary: string;
}

/** `const [found] = await db.select(…).from(…).where(…);`, one call a line where it does not fit. */
function queryChain(indent: string, head: string, calls: readonly string[]): string {
  const oneLine = `${indent}${head}${calls.join('')};`;
  if (oneLine.length <= lineWidth) return oneLine;
  return [`${indent}${head}`, ...calls.map((call, i) => `${indent}  ${call}${i === calls.length - 1 ? ';' : ''}`)].join(
    '\n',
  );
}

/** The function that tells whether a referenced row is there for the caller, and the checks that call it. */
function referenceCode(references: readonly PlannedField[], { owned, primary }: ModuleContext) {
  const targets = [...new Set(references.map((field) => field.target?.camel ?? ''))];
  const params = [`target: ${targets.map((target) => `typeof ${target}`).join(' | ')}`];
  if (owned) params.push('ownerId: string');
  params.push('id: string');
  const where = owned ? 'and(eq(target.ownerId, ownerId), eq(target.id, id))' : 'eq(target.id, id)';
  const visible = [
    '  /**',
    owned
      ? "   * A reference to a row the caller cannot see answers 404, as that row's own URL does, never"
      : "   * A reference to a row that does not exist answers 404, as that row's own URL does, never",
    primary === 'db'
      ? "   * the foreign key's error."
      : "   * the foreign key's error. Read from the primary, which has the caller's latest writes.",
    '   */',
    callArgs('  ', 'async function visible', params, ' {'),
    queryChain('    ', `const [found] = await ${primary}`, [
      '.select({ id: target.id })',
      '.from(target)',
      `.where(${where})`,
    ]),
    '    return found !== undefined;',
    '  }',
  ].join('\n');
  const checks = references.map((field) => {
    const property = `input.${field.name}`;
    const call = `!(await visible(${[field.target?.camel, ...(owned ? ['ownerId'] : []), property].join(', ')}))`;
    const oneLine = `    if (${property} != null && ${call}) {`;
    const condition =
      oneLine.length <= lineWidth ? oneLine : `    if (\n      ${property} != null &&\n      ${call}\n    ) {`;
    return [
      condition,
      `      throw notFound(\`No ${field.target?.singularWords} has the id \${${property}}\`);`,
      '    }',
    ].join('\n');
  });
  const check = [
    '',
    '  /** Every reference a create or update sets, to a row the caller can see. */',
    `  async function checkReferences(${owned ? 'ownerId: string, ' : ''}input: UpdateEntryInput) {`,
    ...checks,
    '  }',
  ];
  return {
    visible: [visible, ...check].join('\n'),
    checkReferences: `      await checkReferences(${owned ? 'ownerId, ' : ''}input);`,
  };
}

/** Types the database hands back in another form than the API was sent: a decimal's scale, a UUID's case, a time's offset, JSON's key order. */
const normalised: Partial<Record<FieldType, string>> = {
  decimal: '12.5 as 12.50',
  uuid: 'a UUID in lower case',
  references: 'a UUID in lower case',
  datetime: 'a time in UTC',
  json: "an object's keys in the database's order",
};

const joinWords = (words: readonly string[]) =>
  words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;

export function moduleCode(
  names: ResourceNames,
  fields: readonly PlannedField[],
  context: ModuleContext,
  unique: readonly (readonly string[])[] = [],
): ModuleCode {
  const declarations = fields.flatMap((field) => [...(field.comment ? [field.comment] : []), field.declaration]);
  const keys = [
    ...fields.filter((field) => field.unique).map((field) => [field.words]),
    ...unique.map((key) => key.map((property) => fields.find((field) => field.name === property)?.words ?? property)),
  ];
  const references = fields.filter((field) => field.target !== undefined);
  const targets = [...new Set(references.map((field) => field.target?.camel ?? ''))].filter(
    (target) => target !== names.camel,
  );
  // By the name each is imported as, as Biome sorts them.
  const localName = (specifier: string) => specifier.split(' as ').at(-1) ?? specifier;
  const tables = [`${names.camel} as table`, ...targets].sort((a, b) =>
    localName(a) < localName(b) ? -1 : localName(a) > localName(b) ? 1 : 0,
  );
  return {
    declarations: declarations.join('\n'),
    nullable: fields.some((field) => field.optional),
    createProperties: objectCall(
      '  ',
      '',
      fields.map((field) =>
        field.required ? `${field.name}: ${field.pascal}` : `${field.name}: Type.Optional(${field.pascal})`,
      ),
      ',',
    ),
    updateProperties: objectCall(
      '  ',
      '',
      fields.map((field) => `${field.name}: Type.Optional(${field.pascal})`),
      ',',
    ),
    rowProperties: fields
      .map((field) => `        ${field.name}: input.${field.name}${field.fallback ? ` ?? ${field.fallback}` : ''},`)
      .join('\n'),
    readsBack: fields.some((field) => field.type in normalised),
    storedForms: joinWords([...new Set(fields.flatMap((field) => normalised[field.type] ?? []))]),
    guard: keys.length > 0 ? 'withUniqueKeys(() => ' : '',
    writeProblems: [
      ...(references.length > 0
        ? [
            `        // 404: no ${joinWords(references.map((field) => field.target?.singularWords ?? '')).replace(/ and /, ' or ')} ${context.owned ? 'the caller may see ' : ''}has the id given.`,
          ]
        : []),
      ...(keys.length > 0
        ? [`        // 409: ${keys.map(joinWords).join(' or ')} already in use (a unique key of src/db/schema.ts).`]
        : []),
      `        problems: [${references.length > 0 ? '404, ' : ''}409],`,
    ].join('\n'),
    ...(keys.length > 0
      ? {
          uniqueConflict: `${capitalise(names.aSingular)} with this ${keys.map(joinWords).join(' or this ')} exists`,
          throwConflict: callArgs(
            '      ',
            'throw conflict',
            [`'${capitalise(names.aSingular)} with this ${keys.map(joinWords).join(' or this ')} exists'`],
            ';',
          ),
        }
      : {}),
    references,
    ...listCode(names, fields, context),
    ...(references.length > 0 ? referenceCode(references, context) : {}),
    schemaImport: objectCall('', 'import ', tables, " from '../../db/schema.js';"),
    errorsImport: objectCall(
      '',
      'import ',
      ['badRequest', ...(keys.length > 0 ? ['conflict'] : []), ...(references.length > 0 ? ['notFound'] : [])],
      " from '../../errors.js';",
    ),
  };
}

/**
 * routes.ts: the problems of a delete, with why: 403 without the scope it needs; 409 while rows
 * of other resources refer to it, where their references restrict deletes. Undefined for none.
 */
export function deleteProblems(
  module: ResourceNames & { deleteScope?: string },
  resources: readonly { name: string; fields: readonly PlannedField[] }[],
): string | undefined {
  const referrers = resources
    .filter((resource) =>
      resource.fields.some(
        (field) => field.references === module.name && (field.onDelete ?? 'restrict') === 'restrict',
      ),
    )
    .map((resource) => resource.name);
  const statuses = [...(module.deleteScope ? [403] : []), ...(referrers.length > 0 ? [409] : [])];
  if (statuses.length === 0) return undefined;
  return [
    ...(referrers.length > 0 ? [`        // 409: ${joinWords(referrers)} still refer to it.`] : []),
    `        problems: [${statuses.join(', ')}],`,
  ].join('\n');
}

/** Types a list cannot sort or filter by: long text, JSON, and a flag (an index on it seldom helps). */
const unkeyed = new Set<FieldType>(['text', 'json', 'boolean']);

/**
 * The list's filters (every required indexed, unique, enum or reference field: equality) and
 * orders (`createdAt`, then every required indexed or unique field), and their code.
 */
function listCode(names: ResourceNames, fields: readonly PlannedField[], context: ModuleContext) {
  const keyed = fields.filter((field) => !field.optional && !unkeyed.has(field.type));
  const filters = keyed.filter(
    (field) => field.index || field.unique || field.type === 'enum' || field.target !== undefined,
  );
  const perOwner = context.owned ? 'owner_id_' : '';
  const indexOf = (field: PlannedField) => {
    if (field.index) return identifier(`${names.table}_${perOwner}${field.column}_id_idx`);
    return identifier(`${names.table}_${perOwner}${field.column}_unique`);
  };
  const sorts = [
    { key: 'createdAt', pascal: 'Timestamp', index: identifier(`${names.table}_${perOwner}created_at_id_idx`) },
    ...keyed
      .filter((field) => field.index || field.unique)
      .map((field) => ({ key: field.name, pascal: field.pascal, index: indexOf(field) })),
  ];

  const sortNames = sorts.flatMap((sort) => [`'-${sort.key}'`, `'${sort.key}'`]);
  const enumLine = `  enum: [${sortNames.join(', ')}],`;
  const sortSchema = [
    '/** What a list can be sorted by, and what a cursor may hold of each: values the API prints. */',
    objectCall(
      '',
      'export const SortValues = ',
      sorts.map((sort) => `${sort.key}: ${sort.pascal}`),
      ';',
    ),
    'export type SortKey = keyof typeof SortValues;',
    `export type ListSort = SortKey | \`-\${SortKey}\`;`,
    '',
    '/** `?sort=`: a property, ascending, or descending after a minus; newest first when not given. */',
    'const Sort = Type.Unsafe<ListSort>({',
    "  type: 'string',",
    ...(enumLine.length <= lineWidth ? [enumLine] : ['  enum: [', ...sortNames.map((name) => `    ${name},`), '  ],']),
    "  default: '-createdAt',",
    '});',
  ];

  const filterLines = filters.map((field) => {
    const oneLine = `  query.${field.name} === undefined ? undefined : eq(table.${field.name}, query.${field.name}),`;
    return oneLine.length <= lineWidth
      ? oneLine
      : `  query.${field.name} === undefined\n    ? undefined\n    : eq(table.${field.name}, query.${field.name}),`;
  });
  const oneLineFilters = `const filtersOf = (query: ListOptions) => [${filterLines.map((line) => line.trim().replace(/,$/, '')).join(', ')}];`;
  const filtersOf = [
    '/** `?status=paid&customerId=…`: a condition for each filter given. */',
    ...(filters.length === 1 && !oneLineFilters.includes('\n') && oneLineFilters.length <= lineWidth
      ? [oneLineFilters]
      : ['const filtersOf = (query: ListOptions) => [', ...filterLines, '];']),
  ];
  const code = (names: readonly string[]) => names.map((name) => `\`${name}\``);
  return {
    readmeFields: `fields ${joinWords(code(fields.map((field) => `${field.name}${field.optional ? '?' : ''}`)))}`,
    readmeSorts: joinWords(code(sorts.map((sort) => sort.key))).replace(/ and (?=[^ ]*$)/, ' or '),
    readmeFilters: joinWords(code(filters.map((field) => field.name))).replace(/ and (?=[^ ]*$)/, ' or '),
    filters,
    filterProperties: filters.map((field) => `    ${field.name}: Type.Optional(${field.pascal}),`).join('\n'),
    sorts,
    sortSchema: sortSchema.join('\n'),
    ...(filters.length > 0 ? { filtersOf: filtersOf.join('\n') } : {}),
    sortColumns: objectCall(
      '',
      'const sortColumns = ',
      sorts.map((sort) => `${sort.key}: table.${sort.key}`),
      ';',
    ),
    pageIndex: objectCall(
      '',
      'const pageIndex = ',
      sorts.map((sort) => `${sort.key}: '${sort.index}'`),
      ';',
    ),
  };
}
