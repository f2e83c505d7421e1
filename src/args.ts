import { parseArgs } from 'node:util';
import { type Access, accessModes } from './access.js';
import { choiceKinds } from './catalogue.js';
import { UsageError } from './errors.js';
import { type OnDelete, onDeleteActions } from './fields.js';

const valueFlags = [...choiceKinds, 'pm', 'preset'] as const;
const booleanFlags = [
  'install',
  'no-install',
  'git',
  'no-git',
  'yes',
  'dry-run',
  'force',
  'json',
  'help',
  'version',
] as const;

export interface CreateArgs {
  command: 'create';
  positionals: string[];
  values: Partial<Record<(typeof valueFlags)[number], string>> &
    Partial<Record<(typeof booleanFlags)[number], boolean>>;
}

export interface DoctorArgs {
  command: 'doctor';
  positionals: string[];
  values: { help?: boolean; version?: boolean };
  dir: string | undefined;
  url: URL | undefined;
  json: boolean;
  minScore: number | undefined;
  audit: boolean;
  /** --max-files and --max-file-size (KiB): how much doctor reads at most. */
  maxFiles: number | undefined;
  maxFileBytes: number | undefined;
}

/** `add kind=value…`, `add resource <name>` or `remove kind=value…`, in the project at `--cwd` (default: here). */
export interface ChangeArgs<Command extends 'add' | 'remove' = 'add' | 'remove'> {
  command: Command;
  positionals: string[];
  values: { help?: boolean; version?: boolean };
  cwd: string | undefined;
  force: boolean;
  /** Overlapping changes are written with conflict markers instead of stopping the run. */
  merge: boolean;
  dryRun: boolean;
  json: boolean;
}

/**
 * `add`: besides the change flags, `--on-delete` for the references of `add resource <name>
 * [field …]`, and `--yes` (never ask for fields, as without a terminal).
 */
export interface AddArgs extends ChangeArgs<'add'> {
  onDelete: OnDelete | undefined;
  /** `--owned`, `--shared` or `--public-read`: who may see the new resource's rows. */
  access: Access | undefined;
  yes: boolean;
}
export type RemoveArgs = ChangeArgs<'remove'>;

/** `upgrade`, in the project at `--cwd`: `from` is a build of the recorded version (a package folder or tarball). */
export interface UpgradeArgs extends Omit<ChangeArgs, 'command'> {
  command: 'upgrade';
  from: string | undefined;
}

/** `extract <module> [--to DIR] [--port N] [--cwd DIR] [--dry-run] [--json]`: a module moved into a service of its own. */
export interface ExtractArgs {
  command: 'extract';
  positionals: string[];
  values: { help?: boolean; version?: boolean };
  /** The module to extract; absent only with --help (extract refuses it otherwise). */
  module: string | undefined;
  cwd: string | undefined;
  /** The new service's folder, relative to the current directory; default `../<module>-service` of the project. */
  to: string | undefined;
  /** The port the service listens on; default 3001. */
  port: number | undefined;
  dryRun: boolean;
  /** One JSON summary of both projects on stdout; the human text on stderr. */
  json: boolean;
}

/** `render <dir> [--cwd DIR]`: the project the manifest at `--cwd` records, written into `<dir>` (upgrade's base). */
export interface RenderArgs {
  command: 'render';
  positionals: string[];
  values: { help?: boolean; version?: boolean };
  cwd: string | undefined;
  /** The folder to write into, relative to the current directory; absent only with --help. */
  to: string | undefined;
}

export type CliArgs = CreateArgs | DoctorArgs | AddArgs | RemoveArgs | UpgradeArgs | ExtractArgs | RenderArgs;

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

const common: OptionSpec = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
};

/**
 * `--flag -1` as `--flag=-1`: parseArgs takes a value that starts with a dash for a flag and calls
 * it ambiguous, but a negative number is never a flag, and its own check says what the flag takes.
 */
function joinNegativeValues(argv: string[], options: OptionSpec): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') return [...joined, ...argv.slice(i)];
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/** node:util parseArgs, with its errors turned into usage errors that point at --help. */
function strictParse(argv: string[], options: OptionSpec, command: string) {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(
      `${message.split('\n')[0]}\nRun create-sound-backend ${command}--help for the list of options.`,
    );
  }
}

function oneDirectory(positionals: string[], what: string): void {
  if (positionals.length > 1) {
    throw new UsageError(`Expected one ${what}, got ${positionals.length}: ${positionals.join(' ')}`);
  }
}

/** `create-sound-backend [dir] [options]`: unknown flags and missing values are usage errors. */
export function parseCreateArgs(argv: string[]): CreateArgs {
  const options: OptionSpec = { ...common };
  for (const flag of valueFlags) options[flag] = { type: 'string' };
  for (const flag of booleanFlags) options[flag] ??= { type: 'boolean' };
  options.yes = { type: 'boolean', short: 'y' };
  const { values, positionals } = strictParse(argv, options, '');
  oneDirectory(positionals, 'target directory');
  return { command: 'create', positionals, values: values as CreateArgs['values'] };
}

function parseUrl(raw: string | undefined): URL | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`Invalid --url "${raw}": expected an http or https URL like http://127.0.0.1:3000`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`Invalid --url "${raw}": only http and https URLs can be probed`);
  }
  return url;
}

function parseMinScore(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > 100) {
    throw new UsageError(`Invalid --min-score "${raw}": expected a whole number from 0 to 100`);
  }
  return value;
}

const mapDefined = <T, U>(value: T | undefined, map: (value: T) => U): U | undefined =>
  value === undefined ? undefined : map(value);

/** A whole number of at least 1 for a limit flag, or a usage error that says so. */
function parseLimit(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new UsageError(`Invalid --${flag} "${raw}": expected a whole number of at least 1`);
  }
  return Number(raw);
}

/** `create-sound-backend doctor [dir] [--url URL] [--json] [--min-score N] [--no-audit] [--max-files N] [--max-file-size KiB]`. */
export function parseDoctorArgs(argv: string[]): DoctorArgs {
  const { values, positionals } = strictParse(
    argv,
    {
      ...common,
      url: { type: 'string' },
      json: { type: 'boolean' },
      'min-score': { type: 'string' },
      'no-audit': { type: 'boolean' },
      'max-files': { type: 'string' },
      'max-file-size': { type: 'string' },
    },
    'doctor ',
  );
  oneDirectory(positionals, 'project directory');
  return {
    command: 'doctor',
    positionals,
    values: { help: values.help === true, version: values.version === true },
    dir: positionals[0],
    url: parseUrl(values.url as string | undefined),
    json: values.json === true,
    minScore: parseMinScore(values['min-score'] as string | undefined),
    audit: values['no-audit'] !== true,
    maxFiles: parseLimit('max-files', values['max-files'] as string | undefined),
    maxFileBytes: mapDefined(
      parseLimit('max-file-size', values['max-file-size'] as string | undefined),
      (kib) => kib * 1024,
    ),
  };
}

/** What add, remove and upgrade take besides their own arguments. */
const changeOptions: OptionSpec = {
  ...common,
  cwd: { type: 'string' },
  force: { type: 'boolean' },
  merge: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
};

function changeFlags(
  values: Record<string, string | boolean | undefined>,
): Omit<ChangeArgs, 'command' | 'positionals'> {
  return {
    values: { help: values.help === true, version: values.version === true },
    cwd: values.cwd as string | undefined,
    force: values.force === true,
    merge: values.merge === true,
    dryRun: values['dry-run'] === true,
    json: values.json === true,
  };
}

/**
 * `create-sound-backend add <kind=value…> | resource <name>` and `remove <kind=value…>`, each with
 * `[--cwd DIR] [--merge | --force] [--dry-run] [--json]`.
 */
function parseChangeArgs<Command extends 'add' | 'remove'>(command: Command, argv: string[]): ChangeArgs<Command> {
  const { values, positionals } = strictParse(argv, changeOptions, `${command} `);
  return { command, positionals, ...changeFlags(values) };
}

function parseOnDelete(raw: string | undefined): OnDelete | undefined {
  if (raw === undefined) return undefined;
  if (!(onDeleteActions as readonly string[]).includes(raw)) {
    throw new UsageError(`Invalid --on-delete "${raw}": valid values are ${onDeleteActions.join(', ')}.`);
  }
  return raw as OnDelete;
}

function parseAccess(values: Record<string, unknown>): Access | undefined {
  const given = accessModes.filter((mode) => values[mode] === true);
  if (given.length > 1) {
    throw new UsageError(`${given.map((mode) => `--${mode}`).join(' and ')} disagree: a resource has one access.`);
  }
  return given[0];
}

/**
 * `create-sound-backend add …` with `[--on-delete restrict|cascade|set-null]
 * [--owned | --shared | --public-read] [-y]` and the change flags.
 */
export function parseAddArgs(argv: string[]): AddArgs {
  const { values, positionals } = strictParse(
    argv,
    {
      ...changeOptions,
      'on-delete': { type: 'string' },
      ...Object.fromEntries(accessModes.map((mode) => [mode, { type: 'boolean' as const }])),
      yes: { type: 'boolean', short: 'y' },
    },
    'add ',
  );
  return {
    command: 'add',
    positionals,
    ...changeFlags(values),
    onDelete: parseOnDelete(values['on-delete'] as string | undefined),
    access: parseAccess(values),
    yes: values.yes === true,
  };
}

/** `create-sound-backend upgrade [--from <path|tarball>] [--cwd DIR] [--merge | --force] [--dry-run] [--json]`. */
export function parseUpgradeArgs(argv: string[]): UpgradeArgs {
  const { values, positionals } = strictParse(argv, { ...changeOptions, from: { type: 'string' } }, 'upgrade ');
  if (positionals.length > 0) {
    throw new UsageError(
      `upgrade takes no arguments, got ${positionals.join(' ')}: pass the project with --cwd <dir>, a build of its version with --from.`,
    );
  }
  return { command: 'upgrade', positionals, from: values.from as string | undefined, ...changeFlags(values) };
}

function parsePort(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    throw new UsageError(`Invalid --port "${raw}": expected a whole number from 1 to 65535, like 3001.`);
  }
  return port;
}

/** `create-sound-backend extract <module> [--to DIR] [--port N] [--cwd DIR] [--dry-run] [--json]`. */
export function parseExtractArgs(argv: string[]): ExtractArgs {
  const { values, positionals } = strictParse(
    argv,
    {
      ...common,
      cwd: { type: 'string' },
      to: { type: 'string' },
      port: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    'extract ',
  );
  if (positionals.length > 1) {
    throw new UsageError(`extract takes one module, got ${positionals.length}: ${positionals.join(' ')}.`);
  }
  return {
    command: 'extract',
    positionals,
    values: { help: values.help === true, version: values.version === true },
    module: positionals[0],
    cwd: values.cwd as string | undefined,
    to: values.to as string | undefined,
    port: parsePort(values.port as string | undefined),
    dryRun: values['dry-run'] === true,
    json: values.json === true,
  };
}

/** `create-sound-backend render <dir> [--cwd DIR]`. */
export function parseRenderArgs(argv: string[]): RenderArgs {
  const { values, positionals } = strictParse(argv, { ...common, cwd: { type: 'string' } }, 'render ');
  if (positionals.length > 1) {
    throw new UsageError(`render takes one folder to write into, got ${positionals.length}: ${positionals.join(' ')}.`);
  }
  return {
    command: 'render',
    positionals,
    values: { help: values.help === true, version: values.version === true },
    cwd: values.cwd as string | undefined,
    to: positionals[0],
  };
}

/** Subcommands by their first word; anything else is `create`. */
const subcommands: Record<string, (argv: string[]) => CliArgs> = {
  doctor: parseDoctorArgs,
  add: parseAddArgs,
  remove: (argv) => parseChangeArgs('remove', argv),
  upgrade: parseUpgradeArgs,
  extract: parseExtractArgs,
  render: parseRenderArgs,
};

export function parseCliArgs(argv: string[]): CliArgs {
  const first = argv[0];
  const parse = first !== undefined && Object.hasOwn(subcommands, first) ? subcommands[first] : undefined;
  return parse ? parse(argv.slice(1)) : parseCreateArgs(argv);
}
