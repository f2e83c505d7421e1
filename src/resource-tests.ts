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
const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A string of `count` times `unit`, as short TypeScript: literal when short, `.repeat()` when long. */
function repeated(unit: string, count: number, suffix = ''): string {
  if (count * unit.length + suffix.length <= 12) return quote(unit.repeat(count) + suffix);
  return suffix === '' ? `${quote(unit)}.repeat(${count})` : `\`\${${quote(unit)}.repeat(${count})}${suffix}\``;
}

/** A decimal of `whole` digits before the point and `scale` after, each `digit`. */
function decimalText(whole: number, scale: number, digit = '9'): string {
  const before = whole === 0 ? '0' : digit.repeat(whole);
  return scale === 0 ? before : `${before}.${digit.repeat(scale)}`;
}

/** A field's value in row `i` of a test, as TypeScript: unique per row where the field is. */
export function sampleOf(field: PlannedField, maker?: string, as = ''): string {
  const length = lengthOf(field) ?? 255;
  const label = field.name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  switch (field.type) {
    case 'string':
    case 'text':
      if (length >= label.length + 6) return `\`${label}-\${i}\``;
      return length >= 5 ? `\`\${i}\`` : quote('x');
    case 'email':
      return `\`${label}-\${i}@example.com\``;
    case 'url':
      return `\`https://example.com/\${i}\``;
    case 'uuid':
      return `\`00000000-0000-4000-8000-\${String(i).padStart(12, '0')}\``;
    case 'integer':
    case 'bigint':
      return 'i';
    case 'decimal': {
      const whole = (field.precision ?? 0) - (field.scale ?? 0);
      const fraction = field.scale ? `.${'5'.padEnd(field.scale, '0')}` : '';
      if (whole >= 4) return `\`\${i}${fraction}\``;
      if (whole === 0) return quote(`0${fraction}`);
      return `\`\${i % ${10 ** whole}}${fraction}\``;
    }
    case 'boolean':
      return 'i % 2 === 0';
    case 'date':
      return 'new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10)';
    case 'datetime':
      return 'new Date(Date.UTC(2024, 0, 1, 12, 0, i)).toISOString()';
    case 'json':
      return "{ row: i, tags: ['a', 'b'] }";
    case 'enum':
      return quote(field.values?.at(-1) ?? '');
    case 'references':
      return `await ${maker}(${as})`;
  }
}

/** `[sent, stored]` pairs a field accepts, and `[sent, why]` pairs it refuses, as TypeScript. */
function valuesOf(field: PlannedField): { valid: [string, string][]; invalid: [string, string][] } {
  const length = lengthOf(field) ?? 255;
  const same = (value: string): [string, string] => [value, value];
  const valid: [string, string][] = [];
  const invalid: [string, string][] = [];
  switch (field.type) {
    case 'string':
      valid.push(same(quote('a')), same(repeated('ü', length)));
      invalid.push(["''", 'empty'], [repeated('x', length + 1), `longer than ${length} characters`]);
      invalid.push(['42', 'a number']);
      break;
    case 'text':
      valid.push(same("''"), same(repeated('x', length)));
      invalid.push([repeated('x', length + 1), `longer than ${length} characters`], ['42', 'a number']);
      break;
    case 'email':
      valid.push(same(quote('ada@example.com')), same(quote('ada.lovelace+tag@sub.example.org')));
      invalid.push([quote('not-an-email'), 'no @'], [quote('ada@'), 'no domain']);
      invalid.push([repeated('a', length - 11, '@example.com'), `longer than ${length} characters`]);
      invalid.push(['42', 'a number']);
      break;
    case 'url':
      valid.push(same(quote('https://example.com/a?b=c#d')), same(quote('http://localhost:3000/')));
      invalid.push([quote('javascript:alert(1)'), 'a javascript: URL']);
      invalid.push([quote('ftp://example.com/'), 'not http(s)'], [quote('not a url'), 'not a URL']);
      invalid.push([`\`https://example.com/\${'a'.repeat(${length})}\``, `longer than ${length} characters`]);
      invalid.push(['42', 'a number']);
      break;
    case 'uuid':
      // In lower case: PostgreSQL's uuid type prints any UUID so, the others keep what was sent.
      valid.push(same(quote('123e4567-e89b-42d3-a456-426614174000')));
      valid.push(same(quote('00000000-0000-0000-0000-000000000000')));
      invalid.push([quote('not-a-uuid'), 'not a UUID'], [quote('123e4567-e89b-42d3-a456-42661417400'), 'too short']);
      invalid.push(['42', 'a number']);
      break;
    case 'references':
      invalid.push([quote('not-a-uuid'), 'not a UUID'], ['42', 'a number']);
      break;
    case 'integer':
      valid.push(same('-2147483648'), same('2147483647'), same('0'));
      invalid.push(['2147483648', 'above the int32 range'], ['-2147483649', 'below the int32 range']);
      invalid.push(['1.5', 'not whole'], [quote('1'), 'a string']);
      break;
    case 'bigint':
      valid.push(same('Number.MAX_SAFE_INTEGER'), same('Number.MIN_SAFE_INTEGER'), same('0'));
      invalid.push(['2 ** 53', 'beyond 2^53'], ['-(2 ** 53)', 'beyond -2^53']);
      invalid.push(['1.5', 'not whole'], [quote('1'), 'a string']);
      break;
    case 'decimal': {
      const scale = field.scale ?? 0;
      const whole = (field.precision ?? 0) - scale;
      const max = decimalText(whole, scale);
      valid.push(same(max.length <= 24 ? quote(max) : decimalExpression(whole, scale)));
      valid.push(same(quote(`-${max}`.length <= 24 ? `-${max}` : '-1')));
      if (scale >= 2) valid.push([quote('0.5'), quote(`0.5${'0'.repeat(scale - 1)}`)]);
      valid.push([quote('0'), quote(scale === 0 ? '0' : `0.${'0'.repeat(scale)}`)]);
      invalid.push([quote(`1${'0'.repeat(whole)}`), `more than ${whole} digits before the point`]);
      if (scale > 0) invalid.push([quote(`0.${'1'.repeat(scale + 1)}`), `more than ${scale} digits after it`]);
      invalid.push(['1.5', 'a number, not a string'], [quote('1e3'), 'an exponent'], [quote('abc'), 'not a number']);
      break;
    }
    case 'boolean':
      valid.push(same('true'), same('false'));
      invalid.push([quote('true'), 'a string'], ['1', 'a number']);
      break;
    case 'date':
      valid.push(same(quote('2024-02-29')), same(quote('1970-01-01')));
      invalid.push([quote('2023-02-29'), 'no such day'], [quote('2024-1-1'), 'not YYYY-MM-DD']);
      invalid.push([quote('2024-02-29T12:00:00Z'), 'a time'], ['20240229', 'a number']);
      break;
    case 'datetime':
      valid.push(same(quote('2024-02-29T12:34:56.789Z')));
      valid.push([quote('2024-02-29T12:34:56+02:00'), quote('2024-02-29T10:34:56.000Z')]);
      invalid.push([quote('2024-02-29T12:34:56'), 'no offset'], [quote('2024-02-29'), 'a date only']);
      invalid.push([quote('2023-02-29T12:00:00Z'), 'no such day'], ['1709210096789', 'a number']);
      break;
    case 'json':
      valid.push(same("{ nested: { list: [1, 'two', null] } }"), same('{}'));
      invalid.push(['[1, 2]', 'an array'], [quote('text'), 'a string'], ['42', 'a number']);
      break;
    case 'enum': {
      const values = field.values ?? [];
      valid.push(...values.map((value) => same(quote(value))));
      invalid.push([quote('not-a-value'), 'not in the list'], [quote((values[0] ?? '').toUpperCase()), 'in capitals']);
      invalid.push(['42', 'a number']);
      break;
    }
  }
  if (field.optional) valid.push(same('null'));
  else invalid.push(['null', 'null where it may not be']);
  return { valid, invalid };
}

/** `'99…9.99'` for a long decimal. */
function decimalExpression(whole: number, scale: number): string {
  const before = whole === 0 ? '0' : `\${'9'.repeat(${whole})}`;
  return scale === 0
    ? `'9'.repeat(${whole})`
    : `\`${before}.${'9'.repeat(Math.min(scale, 4))}${scale > 4 ? `\${'9'.repeat(${scale - 4})}` : ''}\``;
}

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

/** What a create that leaves a field out reads back: its default, as stored, or null. */
function storedFallback(field: PlannedField): string {
  if (field.default === undefined) return 'null';
  if (field.type === 'decimal' && typeof field.default === 'string') {
    const [whole = '0', fraction = ''] = field.default.split('.');
    const scale = field.scale ?? 0;
    return quote(scale === 0 ? whole : `${whole}.${fraction.padEnd(scale, '0')}`);
  }
  return typeof field.default === 'string' ? quote(field.default) : String(field.default);
}
