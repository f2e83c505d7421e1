import { type FieldType, snakeCase } from './fields.js';
import { callArgs, joinWords, lineWidth, objectCall } from './formatting.js';
import type { ResourceNames } from './resource.js';
import type { ModuleContext, PlannedField } from './resource-fields.js';
import { identifier } from './resource-table.js';

/** Types a list cannot sort or filter by: long text, JSON, and a flag (an index on it seldom helps). */
const unkeyed = new Set<FieldType>(['text', 'json', 'boolean']);

/**
 * The list's filters (every required indexed, unique, enum or reference field: equality) and
 * orders (`createdAt`, then every required indexed or unique field), and their code.
 */
export function listCode(names: ResourceNames, fields: readonly PlannedField[], context: ModuleContext) {
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

/** `?include=customer`: a reference's name, and the table (or alias of it) its join reads. */
export interface Include {
  /** `customer`: the field's name without `Id`, and the property of the answer. */
  name: string;
  field: PlannedField;
  /** `customers`, or `buyerTable` where two references name the same table. */
  table: string;
}

/**
 * `GET /v1/orders/:id?include=customer`: the rows a row references, embedded in one query with a
 * join each. A name per reference; two references to one resource (a buyer and a seller, both
 * customers) join it under an alias each.
 */
export function includeCode(names: ResourceNames, fields: readonly PlannedField[], core: string) {
  const references = fields.filter((field) => field.target !== undefined && field.target.name !== names.name);
  const shared = (field: PlannedField) =>
    references.filter((other) => other.target?.name === field.target?.name).length > 1;
  const includes = references.map((field): Include => {
    const name = field.name.replace(/Id$/, '');
    return { name, field, table: shared(field) ? `${name}Table` : (field.target?.camel ?? '') };
  });
  if (includes.length === 0) return { includes };
  const entryOf = (field: PlannedField) => `${field.target?.singularPascal}Entry`;
  const values = includes.map((include) => `'${include.name}'`);
  const schemas = [
    `export type Include = ${values.join(' | ')};`,
    objectCall(
      '',
      'const IncludeName = Type.Unsafe<Include>(',
      ["type: 'string'", `enum: [${values.join(', ')}]`],
      ');',
    ),
    '',
    '/** `?include=customer`: referenced rows to embed in the answer, read with a join each. */',
    'export const GetQuery = Type.Object(',
    '  {',
    `    include: Type.Optional(Type.Array(IncludeName, { maxItems: ${includes.length}, uniqueItems: true })),`,
    '  },',
    '  { additionalProperties: false },',
    ');',
    '',
    '// Each embedded row is null where the reference is empty.',
    'export const EntryWithIncludes = Type.Object({',
    '  ...Entry.properties,',
    ...includes.map(({ name, field }) => `  ${name}: Type.Optional(Type.Union([${entryOf(field)}, Type.Null()])),`),
    '});',
  ];
  const imports = [
    ...new Set(
      includes.map(({ field }) => `import { Entry as ${entryOf(field)} } from '../${field.target?.name}/schemas.js';`),
    ),
  ].sort((a, b) => {
    const from = (line: string) => line.slice(line.indexOf("'"));
    return from(a) < from(b) ? -1 : from(a) > from(b) ? 1 : 0;
  });
  // An alias's name in SQL: the include's, unless a table of the query has it.
  const tables = new Set([names.table, ...includes.map(({ field }) => field.target?.table)]);
  const aliases = includes
    .filter(({ field }) => shared(field))
    .map(({ name, field, table }) => {
      const sqlName = snakeCase(name);
      return callArgs(
        '',
        `const ${table} = alias`,
        [`${field.target?.camel}`, `'${tables.has(sqlName) ? `${sqlName}_ref` : sqlName}'`],
        ';',
      );
    });
  const select = includes.map(({ name, table }) => `${name}: ${table}`);
  return {
    includes,
    includeCode: {
      imports: imports.join('\n'),
      schemas: schemas.join('\n'),
      ...(aliases.length > 0
        ? {
            aliasImport: `import { alias } from '${core}';`,
            aliases: [
              '// References to the same table: each join reads it under an alias of its own.',
              ...aliases,
            ].join('\n'),
          }
        : {}),
      select: [
        objectCall('        ', '.select(', ['entry: table', ...select], ')'),
        '        .from(table)',
        ...includes.map(({ field, table }) => {
          const join = `        .leftJoin(${table}, eq(table.${field.name}, ${table}.id))`;
          return join.length <= lineWidth
            ? join
            : `        .leftJoin(\n          ${table},\n          eq(table.${field.name}, ${table}.id),\n        )`;
        }),
      ].join('\n'),
      spread: includes
        .map(({ name }) =>
          objectCall('        ', `...(include.includes('${name}') && `, [`${name}: row.${name}`], '),'),
        )
        .join('\n'),
    },
  };
}

/** What routes.ts and repository.ts import from schemas.ts: the include's names where there is one. */
export function schemasImports(includes: boolean) {
  const from = " from './schemas.js';";
  return {
    routesSchemasImport: objectCall(
      '',
      'import ',
      [
        'CreateEntry',
        'Entry',
        'EntryPage',
        'EntryParams',
        ...(includes ? ['EntryWithIncludes', 'GetQuery'] : []),
        'ListQuery',
        'UpdateEntry',
      ],
      from,
    ),
    repositorySchemasImport: objectCall(
      '',
      'import ',
      [
        'type CreateEntryInput',
        'DEFAULT_LIMIT',
        'type EntryDto',
        ...(includes ? ['type EntryWithIncludesDto', 'type Include'] : []),
        'type ListOptions',
        'type ListSort',
        'type SortKey',
        'SortValues',
        'type UpdateEntryInput',
      ],
      from,
    ),
  };
}
