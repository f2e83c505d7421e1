import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parseDocument } from 'yaml';
import type { Access } from './access.js';
import { withOnDelete } from './add/resource-records.js';
import { CliError, UsageError } from './errors.js';
import {
  checkField,
  checkFields,
  FieldError,
  type FieldSpec,
  type FieldType,
  lengthOf,
  longestIndexedString,
  type OnDelete,
  parseDefault,
  parseField,
} from './fields.js';

/**
 * `add resources model.yaml`: several resources and their relations in one file, validated against
 * the JSON Schema that ships with the tool (schemas/model.schema.json), then each field as the
 * command line checks it. Every error names its path in the file (`resources.orders.fields.total`).
 */

/** The model file's schema, as published beside dist/ (and read from the source tree in tests). */
export const modelSchemaFile = new URL('../schemas/model.schema.json', import.meta.url);

/** A field in object form: the command line's spelling, key by key (its name is the key it is under). */
export type FieldObject = Omit<FieldSpec, 'name'>;

export interface ModelResource {
  fields?: Record<string, string | FieldObject> | null;
  onDelete?: OnDelete;
  access?: Access;
  unique?: string[][];
}

export interface Model {
  resources: Record<string, ModelResource | null>;
}

/** A resource of the model, its fields checked, ready to record. */
export interface ModelRecord {
  name: string;
  fields: FieldSpec[];
  /** Composite unique keys, by the fields' JSON names. */
  unique: string[][];
  /** Recorded where it is not owned. */
  access?: Exclude<Access, 'owned'>;
}

/** What the names in a model are checked against. */
export interface ModelContext {
  /** Throws a UsageError for a resource name that cannot be added (invalid, reserved, taken). */
  checkName(name: string): void;
  /** The resources a reference may point at besides the model's own: the project's and items. */
  targets: readonly string[];
}

/** Reads a model file (`.json`, `.yaml` or `.yml`) into plain data; an unreadable one is a usage error. */
export function readModelFile(file: string, cwd: string): unknown {
  const extension = path.extname(file).toLowerCase();
  if (!['.json', '.yaml', '.yml'].includes(extension)) {
    throw new UsageError(`The model file ${file} is not .json, .yaml or .yml.`);
  }
  let text: string;
  try {
    text = readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(code ?? error);
    throw new UsageError(`Cannot read the model file ${file}: ${why}.`);
  }
  return extension === '.json' ? parseJson(text, file) : parseYaml(text, file);
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function parseYaml(text: string, file: string): unknown {
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    throw new UsageError(
      document.errors
        .map((error) => {
          const at = error.linePos?.[0];
          const message = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:$/, '');
          return `${file}${at ? `:${at.line}:${at.col}` : ''}: ${message}`;
        })
        .join('\n'),
    );
  }
  return document.toJS();
}

/** `/resources/order-lines/unique/0` → `resources.order-lines.unique[0]`. */
export function pathOf(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((joined, part) => (/^\d+$/.test(part) ? `${joined}[${part}]` : joined ? `${joined}.${part}` : part), '');
}

const aOrAn = (word: string) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;
const listed = (items: readonly unknown[]) => items.map((item) => String(item)).join(', ');

/** One line for one schema error, at the path it names. */
function schemaMessage(error: ErrorObject, file: string): string {
  const at = pathOf(error.instancePath);
  const where = (key?: string) => (key === undefined ? at || file : at ? `${at}.${key}` : key);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return `${where(String(params.additionalProperty))}: unknown key; expected ${listed(known.filter((key) => key !== '$schema'))}`;
    }
    case 'required':
      return `${where()}: ${String(params.missingProperty)} is missing`;
    case 'enum':
      return `${where()}: "${String(error.data)}" is not one of ${listed(params.allowedValues as unknown[])}`;
    case 'type': {
      const types = [params.type].flat().map(String);
      return `${where()}: must be ${types.map(aOrAn).join(' or ')}`;
    }
    case 'minProperties':
      return `${where()}: is empty`;
    default:
      return `${where()}: ${error.message ?? error.keyword}`;
  }
}

let validator: ReturnType<Ajv['compile']> | undefined;

/** The shipped schema, compiled once. */
function validate(data: unknown): ErrorObject[] {
  if (validator === undefined) {
    const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true });
    validator = ajv.compile(JSON.parse(readFileSync(modelSchemaFile, 'utf8')));
  }
  return validator(data) ? [] : [...(validator.errors ?? [])];
}

/** The problem a UsageError names, without the spec or usage its message wraps it in. */
function problemOf(error: unknown): string {
  if (error instanceof FieldError) return error.problem;
  if (error instanceof CliError) return error.message;
  throw error;
}

/**
 * The schema's errors as lines: a name its pattern refuses is explained the way the command line
 * explains it (the pattern error itself says nothing a person can act on).
 */
function schemaErrors(data: unknown, file: string, context: ModelContext): string[] {
  const lines: string[] = [];
  for (const error of validate(data)) {
    // A property name's own pattern error is reported through its propertyNames error.
    if ((error as ErrorObject & { propertyName?: string }).propertyName !== undefined) continue;
    if (error.keyword !== 'propertyNames') {
      lines.push(schemaMessage(error, file));
      continue;
    }
    const name = String((error.params as { propertyName: unknown }).propertyName);
    const at = `${pathOf(error.instancePath)}.${name}`;
    try {
      if (error.instancePath === '/resources') context.checkName(name);
      else parseField(`${name}:string`);
      lines.push(`${at}: not a valid name`);
    } catch (problem) {
      lines.push(`${at}: ${problemOf(problem)}`);
    }
  }
  return [...new Set(lines)];
}

/** Which type takes which key of the object form, beyond those every field takes. */
const keysOfTypes: Record<string, readonly FieldType[]> = {
  length: ['string', 'text'],
  precision: ['decimal'],
  scale: ['decimal'],
  values: ['enum'],
  references: ['references'],
  onDelete: ['references'],
};

/** The object form spelled as the command line spells it: `{type: decimal, precision: 10, scale: 2}` → `decimal(10,2)`. */
function specOf(name: string, field: FieldObject, at: string): string {
  for (const [key, types] of Object.entries(keysOfTypes)) {
    if (key in field && !types.includes(field.type)) {
      throw new UsageError(
        `${at}.${key}: ${aOrAn(field.type)} field takes no ${key}; only ${aOrAn(types.join(' or '))} field does`,
      );
    }
  }
  const { type, length, precision, scale, values, references } = field;
  let args = '';
  if (length !== undefined) args = `(${length})`;
  if (precision !== undefined || scale !== undefined) args = `(${precision ?? ''},${scale ?? ''})`;
  if (values !== undefined) args = `(${values.join(',')})`;
  if (references !== undefined) args = `(${references})`;
  const flags = `${field.optional === true ? '?' : ''}${field.unique === true ? '!' : ''}`;
  return `${name}:${type}${args}${flags}${field.index === true ? ':index' : ''}`;
}

/** One field of the model, either form, as a FieldSpec; a bad one throws a UsageError naming `at`. */
function modelField(key: string, given: string | FieldObject, resourceOnDelete: OnDelete | undefined, at: string) {
  const spec = typeof given === 'string' ? `${key}:${given}` : specOf(key, given, at);
  try {
    const field = parseField(spec);
    if (typeof given !== 'string' && given.default !== undefined) {
      field.default = parseDefault(spec, field, String(given.default));
    }
    if (field.type === 'references') {
      withOnDelete(field, (typeof given === 'string' ? undefined : given.onDelete) ?? resourceOnDelete);
    }
    checkField(field, spec);
    return field;
  } catch (error) {
    throw new UsageError(`${at}: ${problemOf(error)}`);
  }
}

/** Collects every error of a step as lines instead of stopping at the first. */
function collecting(lines: string[]) {
  return <T>(step: () => T): T | undefined => {
    try {
      return step();
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      lines.push(error.message);
      return undefined;
    }
  };
}

/** The fields, composite keys and references of one resource: every error as a line. */
function modelRecord(
  name: string,
  resource: ModelResource,
  known: readonly string[],
  lines: string[],
): ModelRecord | undefined {
  const at = `resources.${name}`;
  const attempt = collecting(lines);
  const before = lines.length;
  const byKey = new Map<string, FieldSpec>();
  for (const [key, given] of Object.entries(resource.fields ?? {})) {
    const fieldAt = `${at}.fields.${key}`;
    const field = attempt(() => modelField(key, given, resource.onDelete, fieldAt));
    if (field === undefined) continue;
    const twin = [...byKey].find(([, other]) => other.name === field.name)?.[0];
    if (twin !== undefined) {
      lines.push(`${fieldAt}: the same field as ${twin} (both are ${field.name})`);
      continue;
    }
    byKey.set(key, field);
    if (field.references === name) lines.push(`${fieldAt}: a resource cannot reference itself yet`);
    else if (field.references !== undefined && !known.includes(field.references)) {
      lines.push(
        `${fieldAt}: references "${field.references}", which is neither in this file nor a resource of the project (${listed(known)}); name the target: references(<resource>)`,
      );
    }
  }
  const fields = [...byKey.values()];
  if (resource.onDelete !== undefined && !fields.some((field) => field.type === 'references')) {
    lines.push(`${at}.onDelete: is for references, and no field of ${name} is one`);
  }
  const unique = (resource.unique ?? []).map((key, i) =>
    uniqueKey(key, resource.fields ?? {}, byKey, `${at}.unique[${i}]`, name, lines),
  );
  if (lines.length > before) return undefined;
  attempt(() => checkFields(name, fields, known));
  const access = resource.access === undefined || resource.access === 'owned' ? {} : { access: resource.access };
  return { name, fields, unique: unique as string[][], ...access };
}

/** A composite unique key by the fields' JSON names; each of them indexable, and all together too. */
function uniqueKey(
  key: readonly string[],
  givenFields: Readonly<Record<string, unknown>>,
  byKey: ReadonlyMap<string, FieldSpec>,
  at: string,
  resource: string,
  lines: string[],
): string[] | undefined {
  const fields = key.map((given) => byKey.get(given) ?? [...byKey.values()].find((field) => field.name === given));
  // A field given with an error of its own has been reported already.
  if (key.some((given, i) => fields[i] === undefined && Object.hasOwn(givenFields, given))) return undefined;
  const missing = key.filter((_, i) => fields[i] === undefined);
  if (missing.length > 0) {
    lines.push(
      `${at}: ${listed(missing.map((name) => `"${name}"`))} ${missing.length === 1 ? 'is not a field' : 'are not fields'} of ${resource}`,
    );
    return undefined;
  }
  const found = fields as FieldSpec[];
  const names = found.map((field) => field.name);
  if (new Set(names).size !== names.length) {
    lines.push(`${at}: names the same field twice`);
    return undefined;
  }
  const unkeyable = found.find((field) => field.type === 'json' || field.type === 'text');
  if (unkeyable !== undefined) {
    lines.push(
      `${at}: ${aOrAn(unkeyable.type)} field (${unkeyable.name}) cannot be part of a unique key; use string(n)`,
    );
    return undefined;
  }
  const characters = found.reduce((sum, field) => sum + (lengthOf(field) ?? 0), 0);
  if (characters > longestIndexedString) {
    lines.push(
      `${at}: its strings hold ${characters} characters together, and a unique key holds at most ${longestIndexedString}; give them shorter lengths (string(n))`,
    );
    return undefined;
  }
  return names;
}

/**
 * The resources in the order they can be made: each after every resource of the model it
 * references, in the file's order where that is free. A cycle cannot be made one after another.
 */
export function dependencyOrder(records: readonly ModelRecord[]): ModelRecord[] {
  const byName = new Map(records.map((record) => [record.name, record]));
  const targetsOf = (record: ModelRecord) =>
    record.fields.flatMap((field) =>
      field.references !== undefined && byName.has(field.references) ? [field.references] : [],
    );
  const done = new Set<string>();
  const ordered: ModelRecord[] = [];
  while (ordered.length < records.length) {
    const next = records.find(
      (record) => !done.has(record.name) && targetsOf(record).every((target) => done.has(target)),
    );
    if (next === undefined) {
      throw new UsageError(
        `resources: ${cycleOf(
          records.filter((record) => !done.has(record.name)),
          targetsOf,
        )}`,
      );
    }
    done.add(next.name);
    ordered.push(next);
  }
  return ordered;
}

/** `orders → invoices → orders reference each other in a cycle`: a cycle among resources left over. */
function cycleOf(left: readonly ModelRecord[], targetsOf: (record: ModelRecord) => string[]): string {
  const byName = new Map(left.map((record) => [record.name, record]));
  const trail: string[] = [];
  let current = left[0];
  while (current !== undefined && !trail.includes(current.name)) {
    trail.push(current.name);
    current = byName.get(targetsOf(current).find((target) => byName.has(target)) ?? '');
  }
  const cycle = [...trail.slice(trail.indexOf(current?.name ?? '')), current?.name];
  return `${cycle.join(' → ')} reference each other in a cycle; each resource can reference only ones made before it, so make one of these references a plain field (uuid) instead`;
}

/**
 * A model file's data as records in dependency order, or a UsageError with one line per error:
 * the schema's, then each resource's names, fields and keys, then a cycle.
 */
export function modelRecords(data: unknown, file: string, context: ModelContext): ModelRecord[] {
  const schemaLines = schemaErrors(data, file, context);
  if (schemaLines.length > 0) throw new UsageError(schemaLines.join('\n'));
  const model = data as Model;
  const names = Object.keys(model.resources);
  const known = [...new Set([...context.targets, ...names])];
  const lines: string[] = [];
  const records: ModelRecord[] = [];
  for (const name of names) {
    try {
      context.checkName(name);
    } catch (error) {
      lines.push(`resources.${name}: ${problemOf(error)}`);
    }
    const record = modelRecord(name, model.resources[name] ?? {}, known, lines);
    if (record !== undefined) records.push(record);
  }
  if (lines.length > 0) throw new UsageError(lines.join('\n'));
  return dependencyOrder(records);
}
