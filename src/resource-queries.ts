import type { FieldType } from './fields.js';
import { joinWords, lineWidth, objectCall } from './formatting.js';
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

/**
 * `GET /v1/orders/:id?include=customer`: the rows a row references, embedded in one query with a
 * join each. One name per referenced resource (a second reference to it would need an alias).
 */
export function includeCode(names: ResourceNames, fields: readonly PlannedField[]) {
  const seen = new Set<string>();
  const includes = fields.flatMap((field) => {
    const target = field.target;
    if (target === undefined || target.name === names.name || seen.has(target.name)) return [];
    seen.add(target.name);
    return [{ name: field.name.replace(/Id$/, ''), field }];
  });
  if (includes.length === 0) return { includes };
  const alias = (field: PlannedField) => `${field.target?.singularPascal}Entry`;
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
    ...includes.map(({ name, field }) => `  ${name}: Type.Optional(Type.Union([${alias(field)}, Type.Null()])),`),
    '});',
  ];
  const imports = includes
    .map(({ field }) => `import { Entry as ${alias(field)} } from '../${field.target?.name}/schemas.js';`)
    .sort((a, b) => {
      const from = (line: string) => line.slice(line.indexOf("'"));
      return from(a) < from(b) ? -1 : from(a) > from(b) ? 1 : 0;
    });
  const select = [...includes.map(({ name, field }) => `${name}: ${field.target?.camel}`)];
  return {
    includes,
    includeCode: {
      imports: imports.join('\n'),
      schemas: schemas.join('\n'),
      select: [
        objectCall('        ', '.select(', ['entry: table', ...select], ')'),
        '        .from(table)',
        ...includes.map(
          ({ field }) =>
            `        .leftJoin(${field.target?.camel}, eq(table.${field.name}, ${field.target?.camel}.id))`,
        ),
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
