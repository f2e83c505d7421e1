import { CancelledError } from './errors.js';
import {
  FieldError,
  type FieldSpec,
  type FieldType,
  fieldTypes,
  lengthOf,
  longestIndexedString,
  type OnDelete,
  onDeleteActions,
  parseField,
} from './fields.js';

/**
 * `add resource orders` in a terminal, with no fields given: asks for them one at a time, until
 * an empty name. Each answer is checked as the command line's spec would be, so what comes out is
 * what `add resource orders <spec …>` would have recorded.
 */

/** The prompts the flow asks with: @clack/prompts in a terminal, a script in tests. */
export interface FieldPrompts {
  /** A line of text; `validate` returns why an answer is refused (asked again), or undefined. */
  text(options: {
    message: string;
    placeholder?: string;
    validate?: (value: string) => string | undefined;
  }): Promise<string>;
  select<Value extends string>(options: {
    message: string;
    options: { value: Value; label?: string; hint?: string }[];
    initialValue?: Value;
  }): Promise<Value>;
  confirm(options: { message: string; initialValue?: boolean }): Promise<boolean>;
  /** A line the user should read: why a field was left out. */
  warn(message: string): void;
}

const typeHints: Record<FieldType, string> = {
  string: 'text up to a length (255 unless given)',
  text: 'long text, not indexed',
  integer: 'a whole number',
  bigint: 'a large whole number',
  decimal: 'an exact number, e.g. money; a string in JSON',
  boolean: 'true or false',
  date: 'a day, 2026-12-05',
  datetime: 'a moment in time',
  uuid: 'an id from elsewhere',
  email: 'an e-mail address',
  url: 'an http(s) address',
  json: 'any JSON value',
  enum: 'one of a few values',
  references: 'the id of a row of another resource',
};

const onDeleteHints: Record<OnDelete, string> = {
  restrict: 'refuse to delete it while this row points at it',
  cascade: 'delete this row too',
  'set-null': 'leave this row, without the reference',
};

/** Why a spec is refused, as the prompt shows it: the problem alone, without the usage line. */
function problemWith(spec: string): string | undefined {
  try {
    parseField(spec);
    return undefined;
  } catch (error) {
    if (error instanceof FieldError) return error.problem;
    throw error;
  }
}

const positive = (what: string, max: number) => (value: string) =>
  value === '' || (/^[1-9][0-9]*$/.test(value) && Number(value) <= max) ? undefined : `${what}: 1 to ${max}`;

/** The `(…)` of a spec, asked for the types that take one; empty for the others. */
async function argumentsOf(name: string, type: FieldType, targets: readonly string[], prompts: FieldPrompts) {
  switch (type) {
    case 'string': {
      const length = await prompts.text({
        message: 'Most characters (empty for 255)',
        placeholder: '255',
        validate: positive('A length', 65_535),
      });
      return length === '' ? '' : `(${length})`;
    }
    case 'decimal': {
      const precision =
        (await prompts.text({
          message: 'Digits in all (precision; empty for 10)',
          placeholder: '10',
          validate: positive('A precision', 65),
        })) || '10';
      const scale =
        (await prompts.text({
          message: 'Digits after the point (scale; empty for 2)',
          placeholder: '2',
          validate: (value) => (value === '' ? undefined : problemWith(`${name}:decimal(${precision},${value})`)),
        })) || '2';
      return `(${precision},${scale})`;
    }
    case 'enum': {
      const values = await prompts.text({
        message: 'Values, separated by commas',
        placeholder: 'open,paid',
        validate: (value) => problemWith(`${name}:enum(${value})`),
      });
      return `(${values
        .split(',')
        .map((value) => value.trim())
        .join(',')})`;
    }
    case 'references': {
      const target = await prompts.select({
        message: 'Which resource does it reference?',
        options: targets.map((value) => ({ value })),
      });
      return `(${target})`;
    }
    default:
      return '';
  }
}

/** One field after its name: type, its arguments, then the modifiers that apply to it. */
async function askField(name: string, targets: readonly string[], prompts: FieldPrompts): Promise<FieldSpec> {
  const type = await prompts.select({
    message: `Type of ${name}`,
    options: fieldTypes.map((value) => ({ value, hint: typeHints[value] })),
    initialValue: 'string',
  });
  const spec = `${name}:${type}${await argumentsOf(name, type, targets, prompts)}`;
  const optional = await prompts.confirm({ message: `May ${name} be left empty (optional)?`, initialValue: false });
  const keyable = type !== 'json' && type !== 'text' && (lengthOf(parseField(spec)) ?? 0) <= longestIndexedString;
  const unique =
    keyable && (await prompts.confirm({ message: `Must ${name} be unique among rows?`, initialValue: false }));
  const field = parseField(`${spec}${optional ? '?' : ''}${unique ? '!' : ''}`);
  if (type === 'references') {
    const onDelete = await prompts.select({
      message: `When the ${field.references} row it references is deleted`,
      options: onDeleteActions
        .filter((action) => action !== 'set-null' || optional)
        .map((value) => ({ value, hint: onDeleteHints[value] })),
      initialValue: 'restrict',
    });
    if (onDelete !== 'restrict') field.onDelete = onDelete;
  }
  return field;
}

/** Asks for fields until an empty name; what it returns passes `checkFields` against `targets`. */
export async function askFields(
  resource: string,
  targets: readonly string[],
  prompts: FieldPrompts,
): Promise<FieldSpec[]> {
  const fields: FieldSpec[] = [];
  const taken = (name: string) => fields.some((field) => field.name === name);
  for (;;) {
    const name = (
      await prompts.text({
        message: `${fields.length === 0 ? 'First field' : 'Next field'} of ${resource} (empty to finish)`,
        placeholder: fields.length === 0 ? 'title' : '',
        validate: (value) => {
          const given = value.trim();
          if (given === '') return undefined;
          const problem = problemWith(`${given}:string`);
          if (problem !== undefined) return problem;
          return taken(parseField(`${given}:string`).name) ? `${resource} has a field ${given} already` : undefined;
        },
      })
    ).trim();
    if (name === '') return fields;
    const field = await askField(name, targets, prompts);
    // A reference is named after its target's id: `customer` holds customerId, which may be taken.
    if (taken(field.name)) prompts.warn(`${resource} has a field ${field.name} already: ${name} is left out.`);
    else fields.push(field);
  }
}

/** The terminal's prompts, on @clack/prompts; Ctrl-C or Esc is a CancelledError (exit 130). */
export async function clackFieldPrompts(): Promise<FieldPrompts> {
  const clack = await import('@clack/prompts');
  const orCancel = <T>(answer: T): Exclude<T, symbol> => {
    if (typeof answer === 'symbol' || clack.isCancel(answer)) throw new CancelledError();
    return answer as Exclude<T, symbol>;
  };
  return {
    async text({ message, placeholder, validate }) {
      // An empty answer comes back as undefined.
      const answer = orCancel(
        await clack.text({ message, placeholder, validate: validate && ((value) => validate(value ?? '')) }),
      );
      return answer ?? '';
    },
    async select(options) {
      return orCancel(await clack.select(options as Parameters<typeof clack.select>[0])) as never;
    },
    async confirm(options) {
      return orCancel(await clack.confirm(options));
    },
    warn(message) {
      clack.log.warn(message);
    },
  };
}
