import type { FilledPlace, PlaceContribution } from '../src/plan.js';
import type { ConfigSchema, DerivedField, EnvVariable, Feature, ProjectText, SnippetData } from './feature.js';

/**
 * What the features' variables write into shared files, as places (`places.configSchema`):
 * `src/config.ts` (imports, helpers, schema, the `Config` type, checks and derived fields),
 * `test/config.test.ts` (the defaults, the required settings, accepted and refused values) and
 * the README's environment table. The templates only iterate; the text is formatted here as
 * Biome formats the project (line width 100), since the matrix runs `biome check` on it.
 */

const lineWidth = 100;

/** A variable with a schema, and the feature that declares it. */
interface ConfigEntry {
  name: string;
  feature: string;
  env: EnvVariable;
  schema: ConfigSchema;
}

const text = (value: ProjectText, data: SnippetData) => (typeof value === 'string' ? value : value(data));

/** A string literal as Biome writes it: single quotes unless double ones escape less. */
export function quote(value: string): string {
  const escaped = value.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
  const singles = value.split("'").length - 1;
  const doubles = value.split('"').length - 1;
  if (singles > doubles) return `"${escaped.replaceAll('"', '\\"')}"`;
  return `'${escaped.replaceAll("'", "\\'")}'`;
}

/**
 * Fails when a line of generated code is longer than the formatter allows: the formatter would
 * break it where this module does not. A string alone on its line cannot break: Biome keeps it.
 */
function fitting(lines: string, where: string): string {
  for (const line of lines.split('\n')) {
    if (line.length > lineWidth && !/^\s*(['"]).*\1,?$/.test(line)) {
      throw new Error(`${where}: a line is over ${lineWidth} columns: ${line}`);
    }
  }
  return lines;
}

/**
 * A comma list turned into `string[]` (empty: none), for a variable's `derived`: one line when
 * it fits in `loadConfig`'s returned object, else the conditional broken as Biome breaks it.
 */
export function commaList(name: string): DerivedField {
  const oneLine = `parsed.${name} ? parsed.${name}.split(',') : []`;
  return {
    type: 'string[]',
    value:
      `    ${name}: ${oneLine},`.length <= lineWidth
        ? oneLine
        : `parsed.${name}\n  ? parsed.${name}.split(',')\n  : []`,
    expected: '[]',
  };
}

/** Every variable with a schema, in `src/config.ts` order: by `order`, then feature order. */
function entriesOf(features: readonly Feature[]): ConfigEntry[] {
  return variablesOf(features).flatMap(({ env, feature }) =>
    env.schema ? [{ name: env.name, feature, env, schema: env.schema }] : [],
  );
}

/** Every variable and the feature that declares it, by `order`, then feature order. */
function variablesOf(features: readonly Feature[]): { env: EnvVariable; feature: string }[] {
  return features
    .flatMap((feature) => (feature.env ?? []).map((env) => ({ env, feature: feature.id })))
    .map((each, i) => ({ ...each, i }))
    .sort((a, b) => (a.env.order ?? 0) - (b.env.order ?? 0) || a.i - b.i)
    .map(({ env, feature }) => ({ env, feature }));
}

/** The schema's properties, in the order the generated file has always written them. */
function properties(schema: ConfigSchema, data: SnippetData): [string, string][] {
  const props: [string, string][] = [];
  for (const key of ['minimum', 'maximum', 'minLength', 'maxLength'] as const) {
    if (schema[key] !== undefined) props.push([key, String(schema[key])]);
  }
  if (schema.pattern !== undefined) {
    props.push(['pattern', typeof schema.pattern === 'string' ? quote(schema.pattern) : schema.pattern.code]);
  }
  if (schema.default !== undefined) {
    props.push([
      'default',
      typeof schema.default === 'number' ? String(schema.default) : quote(text(schema.default, data)),
    ]);
  }
  props.push(['description', quote(schema.description)]);
  return props;
}

/**
 * `Type.X(...)` at `indent`, followed by `after` (`,` or `),`): on one line when it fits, else
 * one property per line, a property's value on the next line when it does not fit beside its key.
 */
function typeCall(schema: ConfigSchema, data: SnippetData, indent: string, lead: string, after: string): string {
  const head = Array.isArray(schema.type)
    ? `Type.Enum([${schema.type.map(quote).join(', ')}], `
    : `Type.${schema.type === 'integer' ? 'Integer' : 'String'}(`;
  const props = properties(schema, data);
  const oneLine = `${indent}${lead}${head}{ ${props.map(([key, value]) => `${key}: ${value}`).join(', ')} })${after}`;
  if (oneLine.length <= lineWidth) return oneLine;
  const inner = `${indent}  `;
  const lines = props.map(([key, value]) =>
    `${inner}${key}: ${value},`.length <= lineWidth
      ? `${inner}${key}: ${value},`
      : `${inner}${key}:\n${inner}  ${value},`,
  );
  return `${indent}${lead}${head}{\n${lines.join('\n')}\n${indent}})${after}`;
}

/** A property of `EnvSchema`, with its comment line. */
function schemaProperty({ name, schema }: ConfigEntry, data: SnippetData): string {
  const comment = schema.comment === undefined ? '' : `  // ${schema.comment}\n`;
  if (schema.refine === undefined) return comment + typeCall(schema, data, '  ', `${name}: `, ',');
  const flat = typeCall(schema, data, '', '', '');
  const oneLine = `  ${name}: Type.Refine(${flat}, ${schema.refine}),`;
  if (!flat.includes('\n') && oneLine.length <= lineWidth) return comment + oneLine;
  return `${comment}  ${name}: Type.Refine(\n${typeCall(schema, data, '    ', '', ',')}\n    ${schema.refine},\n  ),`;
}

/** Named imports of every feature, one line per module, modules and names sorted. */
function imports(features: readonly Feature[]): FilledPlace<string> {
  const byModule = new Map<string, Set<string>>();
  for (const { from, names } of features.flatMap((feature) => feature.configCode?.imports ?? [])) {
    const set = byModule.get(from) ?? new Set<string>();
    for (const name of names) set.add(name);
    byModule.set(from, set);
  }
  const line = (from: string, names: readonly string[]) => `import { ${names.join(', ')} } from '${from}';`;
  return {
    texts: [...byModule.keys()].sort().map((from) => line(from, [...(byModule.get(from) ?? [])].sort())),
    contributions: features.flatMap((feature) =>
      (feature.configCode?.imports ?? []).map(
        ({ from, names }): PlaceContribution<string> => ({
          feature: feature.id,
          text: line(from, names),
          import: true,
        }),
      ),
    ),
  };
}

/** The fields `loadConfig` computes, in feature order: the replaced variables and the added ones. */
function derivedFields(features: readonly Feature[]): Field[] {
  return features.flatMap((feature) =>
    (feature.env ?? []).flatMap((env) => [
      ...(env.schema?.derived ? [{ ...env.schema.derived, name: env.name, feature: feature.id }] : []),
      ...(env.schema?.adds ? [{ ...env.schema.adds, feature: feature.id }] : []),
    ]),
  );
}

/** A field `loadConfig` computes, and the feature whose variable it comes from. */
type Field = DerivedField & { name: string; feature: string };

/** A field's member of the `Config` type, with its doc comment. */
const member = (field: Field) =>
  `${field.doc === undefined ? '' : `  /** ${field.doc} */\n`}  ${field.name}: ${field.type};`;

/** `Config`: the validated environment, with the derived fields in place of (or beside) its own. */
function configType(fields: readonly Field[]): FilledPlace<string> {
  const typed = fields.filter((field) => field.type !== undefined);
  if (typed.length === 0) return { texts: ['export type Config = Env;'], contributions: [] };
  const members = typed.map(member);
  return {
    texts: [`type Derived = {\n${members.join('\n')}\n};\n\nexport type Config = Omit<Env, keyof Derived> & Derived;`],
    contributions: typed.map((field) => ({ feature: field.feature, text: member(field) })),
  };
}

/** The problem line of a rejected value, echoing it unless it is redacted. */
function problemLine(entries: readonly ConfigEntry[]): FilledPlace<string> {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the generated code's own template literal.
  const expected = '${key}: expected ${(schema as { description?: string }).description}';
  const secrets = entries.filter((entry) => entry.schema.redacted);
  const redacted = secrets.map((entry) => `key === '${entry.name}'`);
  if (redacted.length === 0) {
    return {
      texts: [`      problems.push(\n        \`${expected}, got \${JSON.stringify(raw[key])}\`,\n      );`],
      contributions: [],
    };
  }
  // One secret's test fits the line; several are named first, as Biome breaks a long condition.
  const condition = redacted.join(' || ');
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the generated code's own template literal.
  const shown = '`${raw[key]?.length} characters` : JSON.stringify(raw[key]);';
  const inline = `        ${condition} ? ${shown}`;
  const named = [
    `      const secret = ${condition};`,
    `      const secret =\n        ${condition};`,
    `      const secret =\n        ${redacted.join(' ||\n        ')};`,
  ].find((lines) => lines.split('\n').every((line) => line.length <= 100));
  const declaration =
    inline.length <= 100 ? `      const got =\n${inline}` : `${named}\n      const got = secret ? ${shown}`;
  const text = fitting(
    `      // Never echo a secret, even a rejected one: this line ends up in deployment logs.
${declaration}
      problems.push(
        \`${expected}, got \${got}\`,
      );`,
    'the problem line',
  );
  return {
    texts: [text],
    contributions: secrets.map((entry, i) => ({ feature: entry.feature, text: redacted[i] ?? '' })),
  };
}

/** Checks beyond each variable's own: those required in production although they have a default. */
function productionChecks(entries: readonly ConfigEntry[]): Owned[] {
  return entries.flatMap(({ name, feature, schema }) => {
    const required = schema.requiredInProduction;
    if (required === undefined) return [];
    const why = required.why
      .split('\n')
      .map((line) => `  // ${line}`)
      .join('\n');
    return [
      {
        feature,
        text: fitting(
          `${why}
  if (candidate.NODE_ENV === 'production' && !candidate.${name}) {
    problems.push('${name}: required when NODE_ENV=production ${required.hint}');
  }`,
          name,
        ),
      },
    ];
  });
}

/** What `readConfig` does with a valid configuration: the features' `onRead`, then return it. */
function readBody(features: readonly Feature[]): FilledPlace<string> {
  const steps = features.flatMap((feature) =>
    feature.configCode?.onRead
      ? [{ feature: feature.id, text: feature.configCode.onRead.replace(/^(?=.)/gm, '    ') }]
      : [],
  );
  if (steps.length === 0) return { texts: ['    return loadConfig(process.env);'], contributions: [] };
  const indented = steps.map((step) => step.text).join('\n');
  return {
    texts: [`    const config = loadConfig(process.env);\n${indented}\n    return config;`],
    contributions: steps,
  };
}

/** A value as test code: a string, a number, or a list of strings (one per line when long). */
function literal(value: string | number | readonly string[], indent: string, lead: string, after: string): string {
  if (typeof value === 'number') return `${indent}${lead}${value}${after}`;
  if (typeof value === 'string') {
    const oneLine = `${indent}${lead}${quote(value)}${after}`;
    // A call whose one argument does not fit: the argument on a line of its own, as Biome writes it.
    if (oneLine.length <= lineWidth || !lead.endsWith('(')) return oneLine;
    return `${indent}${lead}\n${indent}  ${quote(value)},\n${indent}${after}`;
  }
  const oneLine = `${indent}${lead}[${value.map(quote).join(', ')}]${after}`;
  if (oneLine.length <= lineWidth) return oneLine;
  return `${indent}${lead}[\n${value.map((item) => `${indent}  ${quote(item)},`).join('\n')}\n${indent}]${after}`;
}

/** An array of strings as Biome writes it at `indent`: on one line when it fits, else one per line. */
function stringArray(items: readonly string[], indent: string, after: string): string {
  return literal(items, indent, '', after);
}

/** `test/config.test.ts`: the settings without a default, which every valid configuration gives. */
function requiredDeclaration(entries: readonly ConfigEntry[]): FilledPlace<string> {
  const required = entries.filter((entry) => entry.schema.default === undefined);
  if (required.length === 0)
    return { texts: ['// Every setting has a default.\nconst required = {};'], contributions: [] };
  // A secret's example value: its .env.example line is empty, and extract or create fills .env.
  const lines = required.map(({ name, feature, env, schema }) => ({
    feature,
    text: fitting(`  ${name}: ${quote(schema.example?.value ?? env.value)},`, name),
  }));
  return {
    texts: [
      `// Settings without a default: every test that expects a valid configuration gives them.\nconst required = {\n${lines.map((line) => line.text).join('\n')}\n};`,
    ],
    contributions: lines,
  };
}

/** The README's environment table rows. */
function readmeRows(features: readonly Feature[], data: SnippetData): Owned[] {
  return variablesOf(features).flatMap(({ env, feature }) => {
    if (env.readme === undefined) return [];
    const rows = 'meaning' in env.readme ? [env.readme] : env.readme;
    return rows.map((row) => {
      const names = (row.names ?? [env.name]).map((name) => `\`${name}\``).join(', ');
      return { feature, text: `| ${names} | ${text(row.meaning, data)} | ${text(row.default, data)} |` };
    });
  });
}

/** Text a feature put at a place, as it is written there. */
type Owned = { feature: string; text: string };

/** A place of such texts, one item each. */
const ownedPlace = (items: readonly Owned[]): FilledPlace<string> => ({
  texts: items.map((item) => item.text),
  contributions: [...items],
});

/**
 * Every config place the templates iterate over, filled from the features' variables, and what
 * each feature put there: a whole item (a schema property, a README row), or its part of an
 * item every feature shares (its member of the `Config` type, its step in `readConfig`).
 */
export function configFilledPlaces(
  features: readonly Feature[],
  data: SnippetData,
): Record<string, FilledPlace<string>> {
  const entries = entriesOf(features);
  const fields = derivedFields(features);
  const valid = entries.filter((entry) => entry.schema.default !== undefined);
  const examples = entries.flatMap((entry) =>
    entry.schema.example ? [{ ...entry, example: entry.schema.example }] : [],
  );
  const refused = entries.flatMap(({ name, feature, schema }) => {
    if (schema.rejects === undefined) return [];
    const got = schema.redacted ? `${schema.rejects.length} characters` : JSON.stringify(schema.rejects);
    const problem = `${name}: expected ${schema.description}, got ${got}`;
    return [{ feature, text: stringArray([name, schema.rejects, problem], '      ', ',') }];
  });
  return {
    configImports: imports(features),
    configHelpers: ownedPlace(
      features.flatMap((feature) =>
        feature.configCode?.helpers ? [{ feature: feature.id, text: feature.configCode.helpers }] : [],
      ),
    ),
    configSchema: ownedPlace(
      entries.map((entry) => ({ feature: entry.feature, text: fitting(schemaProperty(entry, data), entry.name) })),
    ),
    configType: configType(fields),
    configProblem: problemLine(entries),
    configChecks: ownedPlace(productionChecks(entries)),
    configDerived: ownedPlace(
      fields.map((field) => ({
        feature: field.feature,
        text: fitting(`    ${field.name}: ${field.value.replace(/\n/g, '\n    ')},`, field.name),
      })),
    ),
    configRead: readBody(features),
    readmeEnvironment: ownedPlace(readmeRows(features, data)),
    configTestRequired: requiredDeclaration(entries),
    configTestDefaults: ownedPlace(
      valid.flatMap(({ name, feature, schema }) => {
        const own =
          schema.derived?.expected ??
          (typeof schema.default === 'number' ? String(schema.default) : quote(text(schema.default ?? '', data)));
        const added = schema.adds ? [`      ${schema.adds.name}: ${schema.adds.expected},`] : [];
        return [`      ${name}: ${own},`, ...added].map((line) => ({ feature, text: fitting(line, name) }));
      }),
    ),
    configTestExamples: ownedPlace(
      examples.map(({ name, feature, example }) => ({
        feature,
        text: fitting(`      ${name}: ${quote(example.value)},`, name),
      })),
    ),
    configTestParsed: ownedPlace(
      examples.map(({ name, feature, example }) => ({
        feature,
        text: fitting(
          literal(
            example.loaded,
            '    ',
            `expect(config.${name}).${typeof example.loaded === 'object' ? 'toEqual' : 'toBe'}(`,
            ');',
          ),
          name,
        ),
      })),
    ),
    configTestRefused: ownedPlace(refused),
  };
}

/** Every config place the templates iterate over, filled from the features' variables. */
export function configPlaces(features: readonly Feature[], data: SnippetData): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(configFilledPlaces(features, data)).map(([name, place]) => [name, place.texts]),
  );
}
