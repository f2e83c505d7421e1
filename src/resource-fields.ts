import { decimalSource, type FieldSpec, type FieldType, lengthOf, snakeCase } from './fields.js';
import {
  callArgs,
  capitalise,
  commentLines,
  joinWords,
  lineWidth,
  literal,
  objectCall,
  queryChain,
  quote,
} from './formatting.js';
import type { ResourceNames } from './resource.js';
import { type Include, includeCode, listCode, schemasImports } from './resource-queries.js';

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
      return {
        type: 'integer',
        keywords: ["format: 'int32'", 'minimum: -2147483648', 'maximum: 2147483647'],
        tsType: 'number',
      };
    case 'bigint':
      return {
        type: 'integer',
        keywords: ["format: 'int64'", 'minimum: Number.MIN_SAFE_INTEGER', 'maximum: Number.MAX_SAFE_INTEGER'],
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

/** What the module's templates print of its fields, formatted. */
export interface ModuleCode {
  /** schemas.ts: a constant for each field's values. */
  declarations: string;
  /** Some field may be null. */
  nullable: boolean;
  /** schemas.ts: the CreateEntry and UpdateEntry statements. */
  createSchema: string;
  updateSchema: string;
  /** repository.ts: the row a create inserts, one property a line. */
  rowProperties: string;
  /** Fields whose stored form differs from what the API was sent (12.5 → 12.50): creates read the row back. */
  readsBack: boolean;
  /** How, for a comment: `12.5 as 12.50`. */
  storedForms: string;
  /** The 409 a broken unique key answers, or undefined without one; and its throw, formatted. */
  uniqueConflict?: string;
  throwConflict?: string;
  /** routes.ts: the problems of a create, and of an update, with why. */
  writeProblems: string;
  updateProblems: string;
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
  /** `?include=customer`: a name for each reference, and their code. */
  includes: Include[];
  includeCode?: {
    /** schemas.ts: imports of the referenced modules' schemas, and the query and answer with them. */
    imports: string;
    schemas: string;
    /** repository.ts: an alias of a table two references name, for each of them; none without. */
    aliasImport?: string;
    aliases?: string;
    /** repository.ts: the select with a join each. */
    select: string;
    /** repository.ts: what the answer takes of each. */
    spread: string;
  };
  /** repository.ts: its import of the tables, and of the errors it throws. */
  schemaImport: string;
  /** routes.ts and repository.ts: their imports from schemas.ts. */
  routesSchemasImport: string;
  repositorySchemasImport: string;
  errorsImport: string;
}

export interface ModuleContext {
  /** Reads are the caller's own rows: the list's indexes lead with the owner. */
  owned: boolean;
  /** What reads the caller's own writes: the primary, where reads may go to replicas. */
  primary: string;
  /** The dialect's Drizzle module: `drizzle-orm/pg-core`. */
  core: string;
  /** Resources whose rows are each their maker's: a reference to one must be to the caller's. */
  ownedTargets?: ReadonlySet<string>;
  /** Writes need this scope (shared). */
  writeScope?: string;
  /** Only a row's maker changes it, though anyone reads it (public-read). */
  writesOwnRows?: boolean;
}

/**
 * The functions that tell whether a referenced row is there for the caller, and the checks that
 * call them: one of the caller's own rows for an owned target, any row for a shared one.
 */
function referenceCode(references: readonly PlannedField[], { primary, ownedTargets }: ModuleContext) {
  const isOwned = (field: PlannedField) => ownedTargets?.has(field.target?.name ?? '') === true;
  const tablesOf = (fields: readonly PlannedField[]) => [
    ...new Set(fields.map((field) => `typeof ${field.target?.camel ?? ''}`)),
  ];
  const owned = references.filter(isOwned);
  const shared = references.filter((field) => !isOwned(field));
  const replicaNote = primary === 'db' ? '' : " Read from the primary, which has the caller's latest writes.";
  const finder = (name: string, fields: readonly PlannedField[], byOwner: boolean, doc: string) =>
    fields.length === 0
      ? []
      : [
          '  /**',
          commentLines('   * ', `${doc}${replicaNote}`),
          '   */',
          callArgs(
            '  ',
            `async function ${name}`,
            [`target: ${tablesOf(fields).join(' | ')}`, ...(byOwner ? ['ownerId: string'] : []), 'id: string'],
            ' {',
          ),
          queryChain('    ', `const [found] = await ${primary}`, [
            '.select({ id: target.id })',
            '.from(target)',
            `.where(${byOwner ? 'and(eq(target.ownerId, ownerId), eq(target.id, id))' : 'eq(target.id, id)'})`,
          ]),
          '    return found !== undefined;',
          '  }',
        ];
  const functions = [
    ...finder(
      'visible',
      owned,
      true,
      "A reference to a row the caller cannot see answers 404, as that row's own URL does, never the foreign key's error.",
    ),
    ...(owned.length > 0 && shared.length > 0 ? [''] : []),
    ...finder(
      'exists',
      shared,
      false,
      "A reference to a row that does not exist answers 404, as that row's own URL does, never the foreign key's error.",
    ),
  ];
  const checks = references.map((field) => {
    const property = `input.${field.name}`;
    const call = isOwned(field)
      ? `!(await visible(${field.target?.camel}, ownerId, ${property}))`
      : `!(await exists(${field.target?.camel}, ${property}))`;
    const oneLine = `    if (${property} != null && ${call}) {`;
    const condition =
      oneLine.length <= lineWidth ? oneLine : `    if (\n      ${property} != null &&\n      ${call}\n    ) {`;
    return [
      condition,
      `      throw notFound(\`No ${field.target?.singularWords} has the id \${${property}}\`);`,
      '    }',
    ].join('\n');
  });
  const byOwner = owned.length > 0;
  const check = [
    '',
    `  /** Every reference a create or update sets, to a row the caller ${byOwner ? 'can see' : 'can read'}. */`,
    `  async function checkReferences(${byOwner ? 'ownerId: string, ' : ''}input: UpdateEntryInput) {`,
    ...checks,
    '  }',
  ];
  return {
    visible: [...functions, ...check].join('\n'),
    checkReferences: `      await checkReferences(${byOwner ? 'ownerId, ' : ''}input);`,
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

/** routes.ts: what a create's or an update's handler answers besides what every route does, with why. */
function problemsCode(
  references: readonly PlannedField[],
  keys: readonly string[][],
  context: ModuleContext,
  update: boolean,
): string {
  const forbidden = context.writeScope !== undefined || (update && context.writesOwnRows === true);
  const visible = references.some((field) => context.ownedTargets?.has(field.target?.name ?? ''));
  return [
    ...(context.writeScope !== undefined
      ? [
          `        // 403: the caller may not write ${context.writeScope.replace(/:write$/, '')} (${context.writeScope}).`,
        ]
      : []),
    ...(forbidden && context.writeScope === undefined ? ['        // 403: another caller made it.'] : []),
    ...(references.length > 0
      ? [
          `        // 404: no ${joinWords(references.map((field) => field.target?.singularWords ?? '')).replace(/ and /, ' or ')} ${visible ? 'the caller may see ' : ''}has the id given.`,
        ]
      : []),
    ...(keys.length > 0
      ? [`        // 409: ${keys.map(joinWords).join(' or ')} already in use (a unique key of src/db/schema.ts).`]
      : []),
    `        problems: [${[...(forbidden ? [403] : []), ...(references.length > 0 ? [404] : []), 409].join(', ')}],`,
  ].join('\n');
}

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
    createSchema: typeObject(
      'export const CreateEntry = ',
      fields.map((field) =>
        field.required ? `${field.name}: ${field.pascal}` : `${field.name}: Type.Optional(${field.pascal})`,
      ),
      '{ additionalProperties: false }',
    ),
    updateSchema: typeObject(
      'export const UpdateEntry = ',
      fields.map((field) => `${field.name}: Type.Optional(${field.pascal})`),
      '{ additionalProperties: false, minProperties: 1 }',
    ),
    rowProperties: fields
      .map((field) => `        ${field.name}: input.${field.name}${field.fallback ? ` ?? ${field.fallback}` : ''},`)
      .join('\n'),
    readsBack: fields.some((field) => field.type in normalised),
    storedForms: joinWords([...new Set(fields.flatMap((field) => normalised[field.type] ?? []))]),
    guard: keys.length > 0 ? 'withUniqueKeys(() => ' : '',
    writeProblems: problemsCode(references, keys, context, false),
    updateProblems: problemsCode(references, keys, context, true),
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
    ...includeCode(names, fields, context.core),
    ...(references.length > 0 ? referenceCode(references, context) : {}),
    schemaImport: objectCall('', 'import ', tables, " from '../../db/schema.js';"),
    ...schemasImports(fields.some((field) => field.target !== undefined && field.target.name !== names.name)),
    errorsImport: objectCall(
      '',
      'import ',
      ['badRequest', ...(keys.length > 0 ? ['conflict'] : []), ...(references.length > 0 ? ['notFound'] : [])],
      " from '../../errors.js';",
    ),
  };
}

/** `<prefix>Type.Object({ …properties }, options);` on one line where it fits, else as Biome breaks it. */
function typeObject(prefix: string, properties: readonly string[], options: string): string {
  const oneLine = `${prefix}Type.Object({ ${properties.join(', ')} }, ${options});`;
  if (oneLine.length <= lineWidth) return oneLine;
  return [`${prefix}Type.Object(`, objectCall('  ', '', properties, ','), `  ${options},`, ');'].join('\n');
}

/**
 * routes.ts: the problems of a delete, with why: 403 without the scope it needs; 409 while rows
 * of other resources refer to it, where their references restrict deletes. Undefined for none.
 */
export function deleteProblems(
  module: ResourceNames & { deleteScope?: string; access?: { writesOwnRows: boolean } },
  resources: readonly { name: string; fields: readonly PlannedField[] }[],
): string | undefined {
  const referrers = resources
    .filter((resource) =>
      resource.fields.some(
        (field) => field.references === module.name && (field.onDelete ?? 'restrict') === 'restrict',
      ),
    )
    .map((resource) => resource.name);
  const forbidden = module.deleteScope !== undefined || module.access?.writesOwnRows === true;
  const statuses = [...(forbidden ? [403] : []), ...(referrers.length > 0 ? [409] : [])];
  if (statuses.length === 0) return undefined;
  return [
    ...(module.access?.writesOwnRows === true ? ['        // 403: another caller made it.'] : []),
    ...(referrers.length > 0 ? [`        // 409: ${joinWords(referrers)} still refer to it.`] : []),
    `        problems: [${statuses.join(', ')}],`,
  ].join('\n');
}
