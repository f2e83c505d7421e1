import { UsageError } from './errors.js';

/**
 * The fields of a resource, as `add resource orders total:decimal(10,2) status:enum(open,paid)
 * customer:references` gives them and the manifest records them: one spelling, parsed here and
 * checked before anything is written.
 */

export const fieldTypes = [
  'string',
  'text',
  'integer',
  'bigint',
  'decimal',
  'boolean',
  'date',
  'datetime',
  'uuid',
  'email',
  'url',
  'json',
  'enum',
  'references',
] as const;

export type FieldType = (typeof fieldTypes)[number];

export const onDeleteActions = ['restrict', 'cascade', 'set-null'] as const;
export type OnDelete = (typeof onDeleteActions)[number];

/** One field as the manifest records it. */
export interface FieldSpec {
  /** The property in JSON, camel case: `unitPrice`; a reference's is its target's id, `customerId`. */
  name: string;
  type: FieldType;
  /** `string(120)`, `text(2000)`: the most characters a value may have. */
  length?: number;
  /** `decimal(10,2)`: digits in all, and after the point. */
  precision?: number;
  scale?: number;
  /** `enum(open,paid)`. */
  values?: string[];
  /** `customer:references` or `references(customers)`: the resource whose id it holds. */
  references?: string;
  /** What deleting the referenced row does: refused (the default), or this row deleted or set to null. */
  onDelete?: OnDelete;
  /** `?`: may be null, and may be left out of a create. */
  optional?: boolean;
  /** `!`: no two rows (of one owner, where rows have owners) share the value. */
  unique?: boolean;
  /** `:index`: indexed, so the list can filter and sort by it. */
  index?: boolean;
  /** `=value`: what a create that leaves the field out stores. */
  default?: string | number | boolean;
}

/** What every field spec error ends with: the spelling and the types. */
export const fieldUsage =
  'A field is name:type[?][!][=default][:index]; types: string(n), text, integer, bigint, decimal(p,s), boolean, date, datetime, uuid, email, url, json, enum(a,b,c), references(<resource>), or <resource>:references.';

/** Properties and query parameters every resource has: a field cannot take their names. */
const reservedNames = new Set(['id', 'createdAt', 'updatedAt', 'ownerId', 'limit', 'cursor', 'sort', 'include']);

/** The longest string every database indexes in utf8mb4: 3072 bytes, 4 a character. */
export const longestIndexedString = 768;
const defaultLengths: Partial<Record<FieldType, number>> = { string: 255, text: 10_000, email: 254, url: 2048 };
/** What `decimal(p,s)` may ask for: the server databases agree up to 65 digits. */
const maxPrecision = 65;

const camelCase = (name: string) => name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
/** `unitPrice` → `unit_price`: the column. */
export const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** `customer` → `customers`, `category` → `categories`, `box` → `boxes`: the resource a reference names. */
export function pluralOf(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(?:s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

const fieldPattern =
  /^(?<name>[A-Za-z][A-Za-z0-9_-]*):(?<type>[a-z]+)(?:\((?<args>[^)]*)\))?(?<flags>[?!]*)(?:=(?<value>.*?))?(?<index>:index)?$/;

/** A bad field: its message names the spec; `problem` alone, for a caller that names the field its own way. */
export class FieldError extends UsageError {
  constructor(
    readonly spec: string,
    readonly problem: string,
  ) {
    super(`Field "${spec}": ${problem}. ${fieldUsage}`);
    this.name = 'FieldError';
  }
}

function fail(spec: string, problem: string): never {
  throw new FieldError(spec, problem);
}

function positiveInteger(spec: string, text: string | undefined, what: string): number {
  if (text === undefined || !/^[1-9][0-9]*$/.test(text.trim())) fail(spec, `${what} must be a positive whole number`);
  return Number(text.trim());
}

/** `status:enum(open,paid)=open` → its spec; a spec that cannot be read exits 2 naming it. */
export function parseField(spec: string): FieldSpec {
  const match = fieldPattern.exec(spec);
  if (match?.groups === undefined) fail(spec, 'not name:type');
  const { name: given = '', type, args, flags = '', value, index } = match.groups;
  if (!/^[a-z][a-z0-9]*(?:[_A-Z][a-z0-9]*)*$/.test(given)) {
    fail(
      spec,
      `"${given}" is not a field name: a lowercase letter, then letters and digits, in camelCase or snake_case`,
    );
  }
  // Its column, with a table's name, names its keys: PostgreSQL keeps 63 characters of a name.
  if (given.length > 40) fail(spec, 'a field name is at most 40 characters');
  if (!(fieldTypes as readonly string[]).includes(type ?? '')) fail(spec, `unknown type "${type}"`);
  const field: FieldSpec = { name: camelCase(given), type: type as FieldType };
  const argList = args === undefined ? undefined : args.split(',').map((arg) => arg.trim());
  switch (field.type) {
    case 'string':
    case 'text':
      if (argList !== undefined) field.length = positiveInteger(spec, argList.join(','), 'its length');
      if (field.length !== undefined && field.length > 65_535) fail(spec, 'its length is at most 65535');
      break;
    case 'decimal': {
      if (argList?.length !== 2) fail(spec, 'decimal needs (precision,scale), e.g. decimal(10,2)');
      const precision = positiveInteger(spec, argList[0], 'the precision');
      const scale = argList[1] === '0' ? 0 : positiveInteger(spec, argList[1], 'the scale');
      if (precision > maxPrecision) fail(spec, `the precision is at most ${maxPrecision}`);
      if (scale > precision) fail(spec, 'the scale cannot exceed the precision');
      Object.assign(field, { precision, scale });
      break;
    }
    case 'enum': {
      if (argList === undefined || argList.length === 0 || argList.every((item) => item === '')) {
        fail(spec, 'enum needs its values, e.g. enum(open,paid)');
      }
      const bad = argList.find((item) => !/^[a-z][a-z0-9_-]{0,62}$/.test(item));
      if (bad !== undefined) fail(spec, `enum value "${bad}" is not lowercase letters, digits, - and _`);
      if (new Set(argList).size !== argList.length) fail(spec, 'an enum value is repeated');
      field.values = argList;
      break;
    }
    case 'references': {
      // Before the target: `customerId` would name a resource `customerIds`.
      if (/(?:Id|_id)$/.test(given)) {
        const bare = given.replace(/(?:Id|_id)$/, '');
        fail(
          spec,
          `name the reference without "Id", it is added: ${bare}:references${args === undefined ? '' : `(${args})`}`,
        );
      }
      const target = argList === undefined ? pluralOf(given.replace(/_/g, '-')) : argList.join(',');
      if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(target)) fail(spec, `"${target}" is not a resource name`);
      field.references = target;
      field.name = `${camelCase(given)}Id`;
      break;
    }
    default:
      if (argList !== undefined) fail(spec, `${field.type} takes no arguments`);
  }
  if (flags.includes('?')) field.optional = true;
  if (flags.includes('!')) field.unique = true;
  if (index !== undefined) field.index = true;
  if (value !== undefined) field.default = parseDefault(spec, field, value);
  checkField(field, spec);
  return field;
}

/** `=value` as the field's type holds it: a number, a boolean or a string. */
export function parseDefault(spec: string, field: FieldSpec, text: string): string | number | boolean {
  switch (field.type) {
    case 'integer':
    case 'bigint': {
      if (!/^-?(?:0|[1-9][0-9]*)$/.test(text)) fail(spec, `the default "${text}" is not a whole number`);
      return Number(text);
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') fail(spec, `the default "${text}" is not true or false`);
      return text === 'true';
    case 'decimal':
      if (!decimalPattern(field).test(text)) {
        fail(spec, `the default "${text}" is not a decimal with at most ${field.scale} digits after the point`);
      }
      return text;
    case 'enum':
      if (!field.values?.includes(text)) fail(spec, `the default "${text}" is not one of ${field.values?.join(', ')}`);
      return text;
    case 'string':
    case 'text':
      return text;
    default:
      return fail(spec, `a ${field.type} field takes no default`);
  }
}

/** A decimal as JSON carries it: a string of at most precision − scale digits before the point and scale after. */
export function decimalPattern(field: FieldSpec): RegExp {
  return new RegExp(decimalSource(field));
}

export function decimalSource({ precision = 0, scale = 0 }: FieldSpec): string {
  const whole = precision - scale;
  const before = whole === 0 ? '0' : `(?:0|[1-9][0-9]{0,${whole - 1}})`;
  return `^-?${before}${scale === 0 ? '' : `(?:\\.[0-9]{1,${scale}})?`}$`;
}

/** The most characters a string-like field holds. */
export const lengthOf = (field: FieldSpec): number | undefined => field.length ?? defaultLengths[field.type];

/** What a field may be, whatever its resource: checks the model file's fields as the command line's. */
export function checkField(field: FieldSpec, spec = field.name): void {
  if (reservedNames.has(field.name)) {
    fail(
      spec,
      `"${field.name}" is reserved: every resource has id, createdAt, updatedAt (and ownerId with auth), and lists take limit, cursor, sort and include`,
    );
  }
  const keyed = field.unique === true || field.index === true;
  if (keyed && (field.type === 'json' || field.type === 'text')) {
    fail(spec, `a ${field.type} field cannot be unique or indexed; use string(n)`);
  }
  const length = lengthOf(field);
  if (keyed && length !== undefined && length > longestIndexedString) {
    fail(
      spec,
      `a unique or indexed ${field.type} holds at most ${longestIndexedString} characters (an index holds 3072 bytes)`,
    );
  }
  if (field.onDelete === 'set-null' && field.optional !== true) {
    fail(spec, 'on delete set-null needs an optional reference (?)');
  }
  if (field.onDelete !== undefined && field.type !== 'references')
    fail(spec, 'only a reference has an on-delete action');
  if (typeof field.default === 'string' && length !== undefined && field.default.length > length) {
    fail(spec, `the default is longer than ${length} characters`);
  }
}

/**
 * The fields of one resource together: no name twice, and every reference to a resource the
 * project has (or one made before it in the same run). A resource cannot reference itself yet.
 */
export function checkFields(resource: string, fields: readonly FieldSpec[], known: readonly string[]): void {
  const seen = new Set<string>();
  for (const field of fields) {
    if (seen.has(field.name)) {
      throw new UsageError(`Field "${field.name}" of ${resource} is given twice. ${fieldUsage}`);
    }
    seen.add(field.name);
    if (field.references === undefined) continue;
    if (field.references === resource) {
      throw new UsageError(`Field "${field.name}" of ${resource}: a resource cannot reference itself yet.`);
    }
    if (!known.includes(field.references)) {
      throw new UsageError(
        `Field "${field.name}" of ${resource} references "${field.references}", which is not a resource of this project (it has ${known.join(', ')}); add it first, or name it: ${field.name.replace(/Id$/, '')}:references(<resource>).`,
      );
    }
  }
}
