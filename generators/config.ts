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
  return features
    .flatMap((feature) => feature.env ?? [])
    .map((env, i) => ({ env, i }))
    .sort((a, b) => (a.env.order ?? 0) - (b.env.order ?? 0) || a.i - b.i)
    .flatMap(({ env }) => (env.schema ? [{ name: env.name, env, schema: env.schema }] : []));
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
function imports(features: readonly Feature[]): string[] {
  const byModule = new Map<string, Set<string>>();
  for (const { from, names } of features.flatMap((feature) => feature.configCode?.imports ?? [])) {
    const set = byModule.get(from) ?? new Set<string>();
    for (const name of names) set.add(name);
    byModule.set(from, set);
  }
  return [...byModule.keys()].sort().map((from) => {
    const names = [...(byModule.get(from) ?? [])].sort();
    return `import { ${names.join(', ')} } from '${from}';`;
  });
}

/** The fields `loadConfig` computes, in feature order: the replaced variables and the added ones. */
function derivedFields(features: readonly Feature[]): (DerivedField & { name: string })[] {
  return features
    .flatMap((feature) => feature.env ?? [])
    .flatMap((env) => [
      ...(env.schema?.derived ? [{ ...env.schema.derived, name: env.name }] : []),
      ...(env.schema?.adds ? [env.schema.adds] : []),
    ]);
}

/** `Config`: the validated environment, with the derived fields in place of (or beside) its own. */
function configType(fields: readonly (DerivedField & { name: string })[]): string {
  const typed = fields.filter((field) => field.type !== undefined);
  if (typed.length === 0) return 'export type Config = Env;';
  const members = typed.map((field) => {
    const doc = field.doc === undefined ? '' : `  /** ${field.doc} */\n`;
    return `${doc}  ${field.name}: ${field.type};`;
  });
  return `type Derived = {\n${members.join('\n')}\n};\n\nexport type Config = Omit<Env, keyof Derived> & Derived;`;
}

/** The problem line of a rejected value, echoing it unless it is redacted. */
function problemLine(entries: readonly ConfigEntry[]): string {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the generated code's own template literal.
  const expected = '${key}: expected ${(schema as { description?: string }).description}';
  const redacted = entries.filter((entry) => entry.schema.redacted).map((entry) => `key === '${entry.name}'`);
  if (redacted.length === 0) {
    return `      problems.push(\n        \`${expected}, got \${JSON.stringify(raw[key])}\`,\n      );`;
  }
  return fitting(
    `      // Never echo a secret, even a rejected one: this line ends up in deployment logs.
      const got =
        ${redacted.join(' || ')} ? \`\${raw[key]?.length} characters\` : JSON.stringify(raw[key]);
      problems.push(
        \`${expected}, got \${got}\`,
      );`,
    'the problem line',
  );
}

/** Checks beyond each variable's own: those required in production although they have a default. */
function productionChecks(entries: readonly ConfigEntry[]): string[] {
  return entries.flatMap(({ name, schema }) => {
    const required = schema.requiredInProduction;
    if (required === undefined) return [];
    const why = required.why
      .split('\n')
      .map((line) => `  // ${line}`)
      .join('\n');
    return [
      fitting(
        `${why}
  if (candidate.NODE_ENV === 'production' && !candidate.${name}) {
    problems.push('${name}: required when NODE_ENV=production ${required.hint}');
  }`,
        name,
      ),
    ];
  });
}

/** What `readConfig` does with a valid configuration: the features' `onRead`, then return it. */
function readBody(features: readonly Feature[]): string {
  const steps = features.flatMap((feature) => (feature.configCode?.onRead ? [feature.configCode.onRead] : []));
  if (steps.length === 0) return '    return loadConfig(process.env);';
  const indented = steps.map((step) => step.replace(/^(?=.)/gm, '    ')).join('\n');
  return `    const config = loadConfig(process.env);\n${indented}\n    return config;`;
}

/** A value as test code: a string, a number, or a list of strings (one per line when long). */
function literal(value: string | number | readonly string[], indent: string, lead: string, after: string): string {
  if (typeof value === 'number') return `${indent}${lead}${value}${after}`;
  if (typeof value === 'string') return `${indent}${lead}${quote(value)}${after}`;
  const oneLine = `${indent}${lead}[${value.map(quote).join(', ')}]${after}`;
  if (oneLine.length <= lineWidth) return oneLine;
  return `${indent}${lead}[\n${value.map((item) => `${indent}  ${quote(item)},`).join('\n')}\n${indent}]${after}`;
}

/** An array of strings as Biome writes it at `indent`: on one line when it fits, else one per line. */
function stringArray(items: readonly string[], indent: string, after: string): string {
  return literal(items, indent, '', after);
}

/** `test/config.test.ts`: the settings without a default, which every valid configuration gives. */
function requiredDeclaration(entries: readonly ConfigEntry[]): string {
  const required = entries.filter((entry) => entry.schema.default === undefined);
  if (required.length === 0) return '// Every setting has a default.\nconst required = {};';
  const lines = required.map(({ name, env }) => fitting(`  ${name}: ${quote(env.value)},`, name));
  return `// Settings without a default: every test that expects a valid configuration gives them.\nconst required = {\n${lines.join('\n')}\n};`;
}

/** The README's environment table rows. */
function readmeRows(features: readonly Feature[], data: SnippetData): string[] {
  const variables = features
    .flatMap((feature) => feature.env ?? [])
    .map((env, i) => ({ env, i }))
    .sort((a, b) => (a.env.order ?? 0) - (b.env.order ?? 0) || a.i - b.i)
    .map(({ env }) => env);
  return variables.flatMap((env) => {
    if (env.readme === undefined) return [];
    const rows = 'meaning' in env.readme ? [env.readme] : env.readme;
    return rows.map((row) => {
      const names = (row.names ?? [env.name]).map((name) => `\`${name}\``).join(', ');
      return `| ${names} | ${text(row.meaning, data)} | ${text(row.default, data)} |`;
    });
  });
}

/** Every config place the templates iterate over, filled from the features' variables. */
export function configPlaces(features: readonly Feature[], data: SnippetData): Record<string, string[]> {
  const entries = entriesOf(features);
  const fields = derivedFields(features);
  const helpers = features.flatMap((feature) => (feature.configCode?.helpers ? [feature.configCode.helpers] : []));
  const valid = entries.filter((entry) => entry.schema.default !== undefined);
  const examples = entries.flatMap((entry) =>
    entry.schema.example ? [{ ...entry, example: entry.schema.example }] : [],
  );
  const refused = entries.flatMap(({ name, schema }) => {
    if (schema.rejects === undefined) return [];
    const got = schema.redacted ? `${schema.rejects.length} characters` : JSON.stringify(schema.rejects);
    const problem = `${name}: expected ${schema.description}, got ${got}`;
    return [stringArray([name, schema.rejects, problem], '      ', ',')];
  });
  return {
    configImports: imports(features),
    configHelpers: helpers,
    configSchema: entries.map((entry) => fitting(schemaProperty(entry, data), entry.name)),
    configType: [configType(fields)],
    configProblem: [problemLine(entries)],
    configChecks: productionChecks(entries),
    configDerived: fields.map((field) =>
      fitting(`    ${field.name}: ${field.value.replace(/\n/g, '\n    ')},`, field.name),
    ),
    configRead: [readBody(features)],
    readmeEnvironment: readmeRows(features, data),
    configTestRequired: [requiredDeclaration(entries)],
    configTestDefaults: valid.flatMap(({ name, schema }) => {
      const own =
        schema.derived?.expected ??
        (typeof schema.default === 'number' ? String(schema.default) : quote(text(schema.default ?? '', data)));
      const added = schema.adds ? [`      ${schema.adds.name}: ${schema.adds.expected},`] : [];
      return [`      ${name}: ${own},`, ...added].map((line) => fitting(line, name));
    }),
    configTestExamples: examples.map(({ name, example }) => fitting(`      ${name}: ${quote(example.value)},`, name)),
    configTestParsed: examples.map(({ name, example }) =>
      fitting(
        literal(
          example.loaded,
          '    ',
          `expect(config.${name}).${typeof example.loaded === 'object' ? 'toEqual' : 'toBe'}(`,
          ');',
        ),
        name,
      ),
    ),
    configTestRefused: refused,
  };
}
