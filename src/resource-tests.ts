import { quote, sampleOf, storedFallback, valuesOf } from './field-samples.js';
import { lengthOf } from './fields.js';
import { callArgs, objectCall } from './formatting.js';
import type { ResourceNames } from './resource.js';
import type { ModuleCode, PlannedField } from './resource-fields.js';

/**
 * What a module's generated test needs of its fields: a valid create for each row (unique
 * values differing by row), each field's valid and invalid values, and the rows its references
 * need, made through the API. Worked out here, printed as Biome prints it, so that the template
 * only loops over it.
 */

/** A resource as the tests see it: what a row of it needs, and how its list sorts and filters. */
export interface TestedResource extends ResourceNames {
  fields: readonly PlannedField[];
  code: Pick<ModuleCode, 'sorts' | 'filters' | 'includes'>;
}

/** A reference's test: the field, the maker of the row it names, and the words for titles. */
export interface ReferenceTest {
  name: string;
  words: string;
  /** `makeCustomer`. */
  maker: string;
  /** Its rows are each their maker's: another owner's is as missing as an unknown id. */
  ownedTarget: boolean;
  /** `` `/v1/customers/${entry.customerId}` ``: the row an entry names. */
  targetUrl: string;
}

/** What the `?include=` tests print. */
export interface IncludeTests {
  /** `const includes = { customer: { field: 'customerId', url: '/v1/customers' } };`, formatted. */
  table: string;
  /** `/["`](customers|orders)["`]/`: a statement reading the row or a row it references names one. */
  tables: string;
  /** A create leaving every optional reference empty, the URL including them, and the answer expected. */
  empty?: { create: string; url: string; expected: string };
}

export interface ResourceTests {
  /** `app = await buildTestApp(…);` once the tests start (once per file where they own their rows), with what its requests need. */
  buildApp: string;
  /** `interface Entry`'s properties, one a line. */
  entryProperties: string;
  /** `expect(Object.keys(entry).sort()).toEqual([...])`, formatted. */
  keysCheck: string;
  /** The functions that make referenced rows through the API, dependency first; empty without references. */
  makers: string;
  /** `const sample = async (i: number…) => ({ … })`: a valid create of row i. */
  sample: string;
  /** The fields' valid and invalid values: the `values` table. */
  values: string;
  /** An optional field a PATCH may clear with null. */
  cleared?: string;
  /** The fields a create may not leave out, as an array literal. */
  required?: string;
  /** What a create that leaves the others out stores: an object literal. */
  fallbacks?: string;
  /** Unique keys, each a list of properties, as an array literal. */
  uniqueKeys?: string;
  /** Hostile strings for the string fields, and the create that stores them; none without such fields. */
  /**
   * Hostile strings (TypeScript, one an item) for the string fields long enough to hold them,
   * and the create that stores them; none without such fields. A NUL character, which some
   * databases refuse, is the template's to add.
   */
  hostile?: { values: string[]; create: string; check: string; nul: string };
  /** A shared resource where API keys sit beside bearer tokens: the scope a key needs to write it. */
  keyScope?: string;
  /** The test's principal writes shared resources (signInWriter). */
  writer?: true;
  /** How each test signs in its principal: where the file shares one app, as `user<n>`. */
  signInOwner: string;
  signInFresh: string;
  /** `await sample(0, other.headers)`: another owner's valid create. */
  otherSample: string;
  /**
   * With a users table: the owner is gone and its token still valid: the owner's foreign key answers 409. Not with
   * references: their check answers first (404, as the rows they named went with the owner).
   */
  ownerGone: boolean;
  /** `['createdAt', 'placed']`: what the list sorts by. */
  sorts: string;
  /** `['customerId', 'status']`: what the list filters by; none without filters. */
  filters?: string;
  /** `?include=`'s tests: each name with its reference, the tables its query reads, and the optional ones. */
  includes?: IncludeTests;
  references: ReferenceTest[];
  restrict: ReferenceTest[];
  cascade: ReferenceTest[];
  setNull: ReferenceTest[];
}

const lineWidth = 100;

/** `[a, b],` at `indent`, broken one element a line when too long, as Biome prints it. */
function tuple(indent: string, items: readonly string[]): string {
  const oneLine = `${indent}[${items.join(', ')}],`;
  if (oneLine.length <= lineWidth) return oneLine;
  return [`${indent}[`, ...items.map((item) => `${indent}  ${item},`), `${indent}],`].join('\n');
}

/** `key: [ … ],`: an array of tuples; Biome prints one a line when there are two or more. */
function tupleList(indent: string, key: string, tuples: readonly (readonly string[])[]): string {
  if (tuples.length === 0) return `${indent}${key}: [],`;
  const oneLine = `${indent}${key}: [${tuples.map((items) => `[${items.join(', ')}]`).join(', ')}],`;
  if (tuples.length === 1 && oneLine.length <= lineWidth) return oneLine;
  return [`${indent}${key}: [`, ...tuples.map((items) => tuple(`${indent}  `, items)), `${indent}],`].join('\n');
}

/** `[a, b, c]` as an expression after `prefix` at `indent`, broken one a line when too long. */
function arrayCall(indent: string, prefix: string, items: readonly string[], suffix: string): string {
  const oneLine = `${indent}${prefix}[${items.join(', ')}]${suffix}`;
  if (oneLine.length <= lineWidth) return oneLine;
  return [`${indent}${prefix}[`, ...items.map((item) => `${indent}  ${item},`), `${indent}]${suffix}`].join('\n');
}

const makerOf = (names: ResourceNames) => `make${names.singularPascal}`;

/** The resources a resource references, those they reference, and so on: dependencies first. */
function referenced(
  resource: TestedResource,
  byName: ReadonlyMap<string, TestedResource>,
  seen: Set<string> = new Set(),
): TestedResource[] {
  const order: TestedResource[] = [];
  for (const field of resource.fields) {
    const target = field.references === undefined ? undefined : byName.get(field.references);
    if (target === undefined || seen.has(target.name)) continue;
    seen.add(target.name);
    order.push(...referenced(target, byName, seen), target);
  }
  return order;
}

/** The functions that make a row of each resource referenced, with the required fields of each. */
function makersCode(targets: readonly TestedResource[], { auth, ownedTargets }: TestsContext): string {
  if (targets.length === 0) return '';
  // An owned row is made as the principal that will name it (`as`); any other as the test's.
  const owned = (target: ResourceNames) => ownedTargets.has(target.name);
  const anyOwned = targets.some(owned);
  const makers = targets.map((target) => {
    const required = target.fields.filter((field) => field.required);
    const entries = required.map(
      (field) =>
        `${field.name}: ${sampleOf(field, field.target && makerOf(field.target), field.target && owned(field.target) ? 'as' : '')}`,
    );
    const counted = entries.some((entry) => entry.includes('i'));
    return [
      `  const ${makerOf(target)} = async (${owned(target) ? 'as = headers' : ''}) => {`,
      ...(counted ? ['    const i = made++;'] : []),
      objectCall('    ', 'const payload = ', entries, ';'),
      `    return make('${target.name}', payload${owned(target) ? ', as' : ''});`,
      '  };',
    ].join('\n');
  });
  const counted = makers.some((maker) => maker.includes('made++'));
  const make = anyOwned
    ? [
        '  /** Creates a row of another resource as `as`, and returns its id. */',
        '  async function make(resource: string, payload: Payload, as = headers) {',
        `    const url = \`/v1/\${resource}\`;`,
        "    const response = await app.inject({ method: 'POST', url, payload, headers: as });",
      ]
    : [
        '  /** Creates a row of another resource, and returns its id. */',
        '  async function make(resource: string, payload: Payload) {',
        `    const url = \`/v1/\${resource}\`;`,
        auth
          ? "    const response = await app.inject({ method: 'POST', url, payload, headers });"
          : "    const response = await app.inject({ method: 'POST', url, payload });",
      ];
  return [
    '  // The rows its references name, made through their own routes: new ones at each call.',
    ...(counted ? ['  let made = 0;'] : []),
    ...make,
    `    if (response.statusCode !== 201) throw new Error(\`POST \${url}: \${response.body}\`);`,
    '    return response.json<{ id: string }>().id;',
    '  }',
    ...makers,
  ].join('\n');
}

/** The strings the hostile test stores, as TypeScript, and their longest length. */
function hostileStrings(table: string): { code: string[]; longest: number } {
  const values = [
    { code: '`it\'s "quoted"`', length: 13 },
    { code: `"'; DROP TABLE ${table}; --"`, length: `'; DROP TABLE ${table}; --`.length },
    { code: `"' OR 1=1 --"`, length: 11 },
    { code: "'semi;colon -- comment /* block */'", length: 33 },
    { code: "'unicode ü 漢字 🚀 \\u202e'", length: 17 },
  ];
  return { code: values.map((value) => value.code), longest: Math.max(...values.map((value) => value.length)) };
}

export interface TestsContext {
  /** The project has auth: every request of the test carries a credential. */
  auth: boolean;
  /** Rows record their owner (owned, public-read). */
  owned: boolean;
  /** Owners are rows of the project's users table, which a test can delete. */
  usersTable: boolean;
  /** Resources whose rows are each their maker's. */
  ownedTargets: ReadonlySet<string>;
  /** Resources whose writes need `<name>:write` (shared). */
  sharedResources: ReadonlySet<string>;
  /** API keys sit beside bearer tokens, which the tests sign in with: keys' scopes get a test of their own. */
  keysBesideTokens?: boolean;
}

/** What the generated test of `resource` prints. */
export function resourceTests(
  resource: TestedResource,
  unique: readonly (readonly string[])[],
  resources: readonly TestedResource[],
  context: TestsContext,
): ResourceTests {
  const { owned, usersTable, ownedTargets, sharedResources } = context;
  const { fields } = resource;
  const byName = new Map(resources.map((each) => [each.name, each]));
  const targets = referenced(resource, byName);
  const ownedTarget = (field: PlannedField) => ownedTargets.has(field.target?.name ?? '');
  const sampleEntries = fields.map(
    (field) =>
      `${field.name}: ${sampleOf(field, field.target && makerOf(field.target), ownedTarget(field) ? 'as' : '')}`,
  );
  // The test's principal writes this resource and makes the rows it references.
  const writeScopes = [resource, ...targets]
    .filter((each) => sharedResources.has(each.name))
    .map((each) => quote(`${each.name}:write`));
  const references = fields
    .filter((field) => field.target !== undefined)
    .map((field) => {
      const target = field.target as ResourceNames;
      return {
        name: field.name,
        words: field.words,
        maker: makerOf(target),
        ownedTarget: ownedTarget(field),
        targetUrl: `\`/v1/${target.name}/\${entry.${field.name}}\``,
        field,
      };
    });
  const takesAs = references.some((reference) => reference.ownedTarget);
  const params = takesAs ? 'i: number, as = headers' : 'i: number';
  const usesI = sampleEntries.some((entry) => /\bi\b/.test(entry.slice(entry.indexOf(':') + 1)));
  // Async whatever the fields: a reference's row is made through the API.
  const sample = objectCall(
    '  ',
    `const sample = async (${usesI ? params : `_${params}`}): Promise<Payload> => (`,
    sampleEntries,
    ');',
  );
  const valueLines = fields.flatMap((field) => {
    const { valid, invalid } = valuesOf(field);
    return [
      `  ${field.name}: {`,
      tupleList('    ', 'valid', valid),
      tupleList(
        '    ',
        'invalid',
        invalid.map(([value, why]) => [value, quote(why)]),
      ),
      '  },',
    ];
  });
  const optional = fields.filter((field) => !field.required);
  const required = fields.filter((field) => field.required);
  const { code: hostile, longest } = hostileStrings(resource.table);
  const strings = fields.filter(
    (field) => (field.type === 'string' || field.type === 'text') && (lengthOf(field) ?? 0) >= longest,
  );
  const keys = [
    ...fields.filter((field) => field.unique).map((field) => [field.name]),
    ...unique.map((key) => [...key]),
  ];
  const refTest = ({ field, ...test }: (typeof references)[number]): ReferenceTest => test;
  const includes = includeTests(resource);
  return {
    buildApp:
      targets.length === 0
        ? '    app = await buildTestApp();'
        : includes
          ? [
              '    // The rows its references name are made through the API too: more requests a minute',
              '    // than the rate limit lets one client make. The SQL it sends is kept in `queries`.',
              '    app = await buildTestApp({',
              "      env: { RATE_LIMIT_MAX: '1000' },",
              '      onQuery: (query) => queries.push(query),',
              '    });',
            ].join('\n')
          : [
              '    // The rows its references name are made through the API too: more requests a minute',
              '    // than the rate limit lets one client make.',
              "    app = await buildTestApp({ env: { RATE_LIMIT_MAX: '1000' } });",
            ].join('\n'),
    entryProperties: [
      '  id: string;',
      ...fields.map((field) => `  ${field.name}: ${field.tsType};`),
      '  createdAt: string;',
      '  updatedAt: string;',
    ].join('\n'),
    keysCheck: arrayCall(
      '    ',
      'expect(Object.keys(entry).sort()).toEqual(',
      ['id', 'createdAt', 'updatedAt', ...fields.map((field) => field.name)].sort().map(quote),
      ');',
    ),
    makers: makersCode(targets, context),
    ...(writeScopes.length > 0 ? { writer: true } : {}),
    ...(context.keysBesideTokens && sharedResources.has(resource.name) ? { keyScope: `${resource.name}:write` } : {}),
    signInOwner:
      writeScopes.length > 0
        ? `signInWriter(app, [${writeScopes.join(', ')}], \`user\${owners}\`)`
        : `signIn(app, \`user\${owners}\`)`,
    signInFresh: writeScopes.length > 0 ? `signInWriter(app, [${writeScopes.join(', ')}])` : 'signIn(app)',
    sample,
    values: [
      'const values: Record<string, { valid: [unknown, unknown][]; invalid: [unknown, string][] }> = {',
      ...valueLines,
      '};',
    ].join('\n'),
    ...(optional.some((field) => field.optional) ? { cleared: optional.find((field) => field.optional)?.name } : {}),
    ...(required.length > 0
      ? {
          required: arrayCall(
            '    ',
            'for (const field of ',
            required.map((field) => quote(field.name)),
            ') {',
          ),
        }
      : {}),
    ...(optional.length > 0
      ? {
          fallbacks: objectCall(
            '    ',
            'const fallbacks = ',
            optional.map((field) => `${field.name}: ${storedFallback(field)}`),
            ';',
          ),
        }
      : {}),
    ...(keys.length > 0
      ? {
          uniqueKeys: arrayCall(
            '    ',
            'const keys = ',
            keys.map((key) => `[${key.map(quote).join(', ')}]`),
            ';',
          ),
        }
      : {}),
    ...(strings.length > 0
      ? {
          hostile: {
            values: hostile,
            create: objectCall(
              '      ',
              'const created = await create(',
              ['...(await sample(i))', ...strings.map((field) => `${field.name}: value`)],
              ');',
            ),
            check: objectCall(
              '      ',
              'expect(fetched).toMatchObject(',
              strings.map((field) => `${field.name}: value`),
              ');',
            ),
            nul: objectCall(
              '    ',
              'const created = await create(',
              ['...(await sample(0))', `${strings[0]?.name}: 'nul\\u0000byte'`],
              ');',
            ),
          },
        }
      : {}),
    otherSample: takesAs ? 'await sample(0, other.headers)' : 'await sample(0)',
    ownerGone: usersTable && owned && references.length === 0,
    sorts: `[${resource.code.sorts.map((sort) => quote(sort.key)).join(', ')}]`,
    ...(resource.code.filters.length > 0
      ? { filters: `[${resource.code.filters.map((field) => quote(field.name)).join(', ')}]` }
      : {}),
    ...(includes ? { includes } : {}),
    references: references.map(refTest),
    restrict: references.filter(({ field }) => (field.onDelete ?? 'restrict') === 'restrict').map(refTest),
    cascade: references.filter(({ field }) => field.onDelete === 'cascade').map(refTest),
    setNull: references.filter(({ field }) => field.onDelete === 'set-null').map(refTest),
  };
}

/** `?include=`'s tests of a resource whose references have names to include; none without. */
function includeTests(resource: TestedResource): IncludeTests | undefined {
  const { includes } = resource.code;
  if (includes.length === 0) return undefined;
  const tables = [...new Set([resource.table, ...includes.map(({ field }) => field.target?.table)])].sort();
  const empty = includes.filter(({ field }) => field.optional);
  const url = `\`\${base}/\${entry.id}?${empty.map(({ name }) => `include=${name}`).join('&')}\``;
  return {
    // One a line, as Biome keeps an object written so.
    table: [
      '    const includes: Record<string, { field: keyof Entry; url: string }> = {',
      ...includes.map(({ name, field }) =>
        objectCall('      ', `${name}: `, [`field: '${field.name}'`, `url: '/v1/${field.target?.name}'`], ','),
      ),
      '    };',
    ].join('\n'),
    tables: `/["\`](${tables.join('|')})["\`]/`,
    ...(empty.length > 0
      ? {
          empty: {
            create: objectCall(
              '      ',
              'const entry = (await create(',
              ['...(await sample(0))', ...empty.map(({ field }) => `${field.name}: null`)],
              ')).json<Entry>();',
            ),
            url: callArgs('      ', 'const response = await get', [url], ';'),
            expected: objectCall(
              '      ',
              'expect(response.json()).toEqual(',
              ['...entry', ...empty.map(({ name }) => `${name}: null`)],
              ');',
            ),
          },
        }
      : {}),
  };
}
