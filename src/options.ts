import path from 'node:path';
import type { CreateArgs } from './args.js';
import {
  type ChoiceKind,
  choiceKinds,
  choices,
  combinationRules,
  type PackageManager,
  packageManagers,
  type Stack,
  valuesOf,
} from './catalogue.js';
import { UsageError } from './errors.js';
import { invalidPackageNameReason, suggestPackageName } from './project-name.js';

export const defaultProjectDir = 'my-api';

/** What the command line and preset decided, before any prompt. */
export interface RequestedOptions {
  dir: string | undefined;
  stack: Partial<Stack>;
  pm: PackageManager;
  install: boolean;
  git: boolean;
  yes: boolean;
  dryRun: boolean;
  force: boolean;
  json: boolean;
}

/** Everything needed to create a project: no question left open. */
export interface ProjectOptions {
  dir: string;
  name: string;
  stack: Stack;
  pm: PackageManager;
  install: boolean;
  git: boolean;
  dryRun: boolean;
  force: boolean;
  json: boolean;
}

const presetKeys = new Set<string>([...choiceKinds, 'pm', 'install', 'git']);

/** Parses the text of a `--preset` file; unknown keys and bad JSON are usage errors. */
export function parsePreset(text: string, file: string): Record<string, unknown> {
  let preset: unknown;
  try {
    preset = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`Preset ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (preset === null || typeof preset !== 'object' || Array.isArray(preset)) {
    throw new UsageError(`Preset ${file} must be a JSON object such as ${JSON.stringify({ db: choices.db.default })}`);
  }
  const unknown = Object.keys(preset).filter((key) => !presetKeys.has(key));
  if (unknown.length > 0) {
    throw new UsageError(
      `Preset ${file} has unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; valid keys: ${[...presetKeys].join(', ')}`,
    );
  }
  return preset as Record<string, unknown>;
}

/** One choice's value(s) from a flag, a preset or `add kind=value`; out-of-range values are usage errors. */
export function parseChoice(kind: ChoiceKind, raw: unknown): string | string[] {
  const valid = valuesOf(kind);
  const spec = choices[kind];
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined;
  if (list === undefined || list.some((item) => typeof item !== 'string')) {
    throw new UsageError(`--${kind} takes ${spec.multiple ? 'a comma list of ' : 'one of '}${valid.join(', ')}`);
  }
  const picked = [...new Set((list as string[]).map((item) => item.trim()).filter(Boolean))];
  const invalid = picked.filter((item) => !valid.includes(item));
  if (invalid.length > 0 || picked.length === 0) {
    throw new UsageError(
      `Invalid --${kind} value "${invalid.join(',') || String(raw)}": valid values are ${valid.join(', ')}`,
    );
  }
  if (!spec.multiple) {
    if (picked.length > 1) throw new UsageError(`--${kind} takes a single value, one of ${valid.join(', ')}`);
    return picked[0] as string;
  }
  if (picked.includes('none') && picked.length > 1) {
    throw new UsageError(`--${kind} none cannot be combined with other values`);
  }
  return picked;
}

/** The package manager that ran this command, from npm_config_user_agent (`pnpm/9.0.0 npm/? node/v20…`). */
export function detectPackageManager(userAgent: string | undefined): PackageManager {
  const name = userAgent?.split(' ')[0]?.split('/')[0];
  return packageManagers.find((pm) => pm === name) ?? 'npm';
}

function booleanOption(flags: CreateArgs['values'], preset: Record<string, unknown>, name: 'install' | 'git'): boolean {
  const on = flags[name];
  const off = flags[`no-${name}`];
  if (on && off) throw new UsageError(`--${name} and --no-${name} cannot be used together`);
  if (on) return true;
  if (off) return false;
  const fromPreset = preset[name];
  if (fromPreset === undefined) return true;
  if (typeof fromPreset !== 'boolean') throw new UsageError(`Preset key "${name}" must be true or false`);
  return fromPreset;
}

/** Merges flags over the preset; validates every value. Pure: no I/O, no prompts. */
export function requestedOptions(
  args: CreateArgs,
  preset: Record<string, unknown>,
  env: Record<string, string | undefined>,
): RequestedOptions {
  const flags = args.values;
  const stack: Record<string, string | string[]> = {};
  for (const kind of choiceKinds) {
    const raw = flags[kind] ?? preset[kind];
    if (raw !== undefined) stack[kind] = parseChoice(kind, raw);
  }
  const rawPm = flags.pm ?? preset.pm;
  if (rawPm !== undefined && !packageManagers.includes(rawPm as PackageManager)) {
    throw new UsageError(`Invalid --pm value "${String(rawPm)}": valid values are ${packageManagers.join(', ')}`);
  }
  return {
    dir: args.positionals[0],
    stack: stack as Partial<Stack>,
    pm: (rawPm as PackageManager | undefined) ?? detectPackageManager(env.npm_config_user_agent),
    install: booleanOption(flags, preset, 'install'),
    git: booleanOption(flags, preset, 'git'),
    yes: flags.yes === true,
    dryRun: flags['dry-run'] === true,
    force: flags.force === true,
    json: flags.json === true,
  };
}

/** The choices left open by flags and preset, in catalogue order. */
export function missingChoices(stack: Partial<Stack>): ChoiceKind[] {
  return choiceKinds.filter((kind) => stack[kind] === undefined);
}

/** The values chosen for a kind, without `none`: `[]` where the kind is `none`. */
export const chosenValues = (value: string | readonly string[] | undefined): string[] =>
  [value ?? []].flat().filter((item) => item !== 'none');

/** Whether the project authenticates callers at all. */
export const hasAuth = (stack: Pick<Stack, 'auth'>): boolean => chosenValues(stack.auth).length > 0;

/** Fills every open choice with its default. */
export function withDefaults(stack: Partial<Stack>): Stack {
  const full: Record<string, unknown> = { ...stack };
  for (const kind of missingChoices(stack)) {
    const fallback = choices[kind].default;
    full[kind] = Array.isArray(fallback) ? [...fallback] : fallback;
  }
  return full as Stack;
}

/**
 * Refuses choices that cannot work together, by the rules of the catalogue: values of a list
 * kind that exclude each other, and a replicated deployment with an embedded database.
 */
export function checkCombination(stack: Stack): void {
  for (const { kind, values, reason } of combinationRules.exclusive) {
    const chosen: readonly string[] = stack[kind];
    if (values.every((value) => chosen.includes(value))) {
      throw new UsageError(`--${kind} ${values.join(',')}: ${reason}.`);
    }
  }
  const embedded: readonly string[] = combinationRules.embeddedDatabases;
  const replicated: readonly string[] = combinationRules.replicatedDeployments;
  const deploy = stack.deploy.find((value) => replicated.includes(value));
  if (deploy !== undefined && embedded.includes(stack.db)) {
    const servers = valuesOf('db').filter((db) => !embedded.includes(db));
    const single = valuesOf('deploy').filter((value) => value !== 'none' && !replicated.includes(value));
    const offer =
      servers.length > 0
        ? `choose --db ${servers.join(' or --db ')}`
        : `this version offers no database server yet, so choose --deploy ${single.join(' or --deploy ')}`;
    throw new UsageError(
      `--deploy ${deploy} needs a database every replica shares, and ${stack.db} is a file inside one pod: ${offer}.`,
    );
  }
}

/** The package name a directory gives, or a usage error that suggests a valid one. */
export function projectNameFor(dir: string, cwd: string): string {
  const name = path.basename(path.resolve(cwd, dir));
  const reason = invalidPackageNameReason(name);
  if (reason !== undefined) {
    const suggestion = suggestPackageName(name);
    throw new UsageError(
      `"${name}" is not a valid npm package name: ${reason}.\nTry: create-sound-backend ${path.join(path.dirname(dir), suggestion)}`,
    );
  }
  return name;
}
