import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { checkAccess, checkAuthKept } from '../access.js';
import type { AddArgs } from '../args.js';
import {
  addExamples,
  type ChoiceKind,
  choiceKinds,
  choices,
  type PackageManager,
  packageManagers,
  type Stack,
  valuesOf,
} from '../catalogue.js';
import { UsageError } from '../errors.js';
import { askFields, clackFieldPrompts, type FieldPrompts } from '../field-prompts.js';
import { checkFields } from '../fields.js';
import { checkCombination, chosenValues, hasAuth, parseChoice } from '../options.js';
import { manifestFile, type PlanInput, type ResourceRecord, type ServiceIdentity } from '../plan.js';
import { isCI } from '../prompts.js';
import { defaultFields } from '../resource-fields.js';
import type { Manifest } from '../write.js';
import { type EvolveFlags, evolve } from './evolve.js';
import { checkNewResource, commandLineFields, newRecords, referenceTargets } from './resource-records.js';

export interface AddContext {
  cwd: string;
  stdout: Writable;
  stderr: Writable;
  /** The time a resource is added at (tests pin it). */
  now?: () => number;
  /** stdin and stdout are a terminal: `add resource <name>` with no fields asks for them. */
  interactiveTerminal?: boolean;
  env?: Record<string, string | undefined>;
  /** Replaces the terminal prompts (tests). */
  fieldPrompts?: FieldPrompts;
}

/** Whether `add resource <name>` with no fields asks for them: in a terminal, not told otherwise. */
function asksForFields(args: AddArgs, ctx: AddContext): boolean {
  return ctx.interactiveTerminal === true && !args.yes && !args.json && !isCI(ctx.env ?? {});
}

/** Reads `sound-backend.json`, or explains what `add` needs and what can be done without it. */
export function readManifest(root: string): Manifest {
  const file = path.join(root, manifestFile);
  if (!existsSync(path.join(root, 'package.json'))) {
    throw new UsageError(
      `${root} has no package.json: run add inside a project create-sound-backend generated, or pass --cwd <dir>.`,
    );
  }
  if (!existsSync(file)) {
    throw new UsageError(
      [
        `${root} has no ${manifestFile}, so create-sound-backend did not generate it (or the file was removed).`,
        'add needs that manifest to know which files it wrote and which ones you changed; without it, it cannot',
        'tell your code from its own, so it changes nothing here. What it can do for this project:',
        '  create-sound-backend doctor   audits it against the six safeguards and says what each fix takes',
        '  create-sound-backend <dir>    generates a new project with the features you want, to compare or copy from',
      ].join('\n'),
    );
  }
  let manifest: Partial<Manifest>;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as Partial<Manifest>;
  } catch (error) {
    throw new UsageError(`${manifestFile} is not valid JSON (${(error as Error).message}); nothing was changed.`);
  }
  const options = manifest.options as Record<string, unknown> | undefined;
  if (
    manifest.generator !== 'create-sound-backend' ||
    typeof manifest.files !== 'object' ||
    manifest.files === null ||
    options === undefined ||
    !choiceKinds.every((kind) => kind in options)
  ) {
    throw new UsageError(
      `${manifestFile} is not a create-sound-backend manifest this version can read; nothing was changed.`,
    );
  }
  return manifest as Manifest;
}

/** The project name: from the manifest, or package.json for a manifest that predates it. */
export function projectName(root: string, manifest: Manifest): string {
  if (typeof manifest.name === 'string') return manifest.name;
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name?: unknown };
  if (typeof pkg.name !== 'string') throw new UsageError('package.json has no name, and the manifest records none.');
  return pkg.name;
}

/** The choices after `kind=value…`: list kinds gain the values (none replaces), single kinds switch. */
export function changedStack(stack: Stack, specs: readonly string[]): Stack {
  const next: Record<string, string | string[]> = { ...stack };
  for (const given of specs) {
    // A bare value names its kind when only one kind has it: `add <value>` is `add <kind>=<value>`.
    const owners = choiceKinds.filter((kind) => valuesOf(kind).includes(given));
    const spec = !given.includes('=') && owners.length === 1 ? `${owners[0]}=${given}` : given;
    const match = /^([a-z]+)=(.+)$/.exec(spec);
    if (!match) {
      throw new UsageError(
        `Expected kind=value, got "${spec}". Kinds: ${choiceKinds.join(', ')}; e.g. add ${addExamples.choice}, or add resource orders.`,
      );
    }
    const [, kind = '', raw = ''] = match;
    if (!(choiceKinds as string[]).includes(kind)) {
      throw new UsageError(`Unknown kind "${kind}" in ${spec}: valid kinds are ${choiceKinds.join(', ')}.`);
    }
    const value = parseChoice(kind as ChoiceKind, raw);
    if (!choices[kind as ChoiceKind].multiple || !Array.isArray(value)) {
      next[kind] = value;
      continue;
    }
    const current = chosenValues(next[kind]);
    next[kind] = value.includes('none') ? ['none'] : [...current, ...value.filter((item) => !current.includes(item))];
  }
  return next as Stack;
}

/** The recorded project: its options and resources, as `planProject` takes them. */
export function recordedInput(root: string, manifest: Manifest): PlanInput {
  const pm = manifest.options.pm as PackageManager;
  if (!packageManagers.includes(pm)) throw new UsageError(`${manifestFile} names an unknown package manager "${pm}".`);
  const stack = Object.fromEntries(choiceKinds.map((kind) => [kind, manifest.options[kind]])) as Stack;
  const input: PlanInput = { name: projectName(root, manifest), stack, pm, resources: manifest.resources ?? [] };
  // Read as JSON gives it: a hand-edited manifest may hold anything there.
  const identity = manifest.identity as Partial<ServiceIdentity> | null | undefined;
  if (identity === undefined) return input;
  if (
    identity?.mode !== 'verify' ||
    typeof identity.issuer !== 'string' ||
    identity.issuer === '' ||
    !(identity.database === undefined || (typeof identity.database === 'string' && /^\w+$/.test(identity.database))) ||
    !(identity.port === undefined || (Number.isInteger(identity.port) && identity.port > 0 && identity.port <= 65535))
  ) {
    throw new UsageError(
      `${manifestFile} records an identity this version cannot read (expected {"mode": "verify", "issuer": "<the monolith>", "database": "<its own>", "port": <1..65535>}); nothing was changed.`,
    );
  }
  const { mode, issuer, database, port } = identity;
  return {
    ...input,
    identity: {
      mode,
      issuer,
      ...(database === undefined ? {} : { database }),
      ...(port === undefined ? {} : { port }),
    },
  };
}

/** The project folder of `--cwd` (default: here), which must exist. */
export function projectRoot(args: { cwd: string | undefined }, ctx: { cwd: string }): string {
  const root = path.resolve(ctx.cwd, args.cwd ?? '.');
  if (!existsSync(root)) throw new UsageError(`No such directory: ${root}`);
  return root;
}

export function checkFlags(args: EvolveFlags): void {
  if (args.merge && args.force) {
    throw new UsageError('--merge and --force disagree about files you changed: pass one of them.');
  }
}

/** What `add resource` or `add resources` adds: the records, and the words that name them. */
interface AddedResources {
  records: ResourceRecord[];
  what: string;
}

type ResourceContext = AddContext & {
  root: string;
  /** Resources served by a service of their own (`extract`): no table here to reference. */
  remote: readonly string[];
};

/** What a new resource may reference: the project's own tables, not those moved into services. */
const localTargets = (existing: readonly string[], ctx: ResourceContext) =>
  referenceTargets(existing.filter((name) => !ctx.remote.includes(name)));

/** `add resource <name> [field …]`: the fields from the command line, or asked for in a terminal. */
async function resourceOfArguments(
  rest: readonly string[],
  existing: readonly string[],
  args: AddArgs,
  ctx: ResourceContext,
): Promise<AddedResources> {
  const [name, ...specs] = rest;
  if (name === undefined) {
    throw new UsageError(
      'Expected a name: add resource <name> [field:type …], e.g. add resource orders total:decimal(10,2).',
    );
  }
  checkNewResource(ctx.root, name, existing);
  const targets = localTargets(existing, ctx);
  const given =
    specs.length === 0 && args.onDelete === undefined && asksForFields(args, ctx)
      ? await askFields(name, targets, ctx.fieldPrompts ?? (await clackFieldPrompts()))
      : commandLineFields(name, specs, args.onDelete, targets);
  checkFields(name, given, targets);
  // A resource with an access of its own is declared from its fields, even the example's: its
  // table differs from the example's, so drizzle-kit writes its migration.
  const fields = given.length === 0 && args.access !== undefined ? defaultFields.map((field) => ({ ...field })) : given;
  const access = args.access === undefined || args.access === 'owned' ? {} : { access: args.access };
  return {
    records: newRecords(ctx.root, [{ name, fields, ...access }], (ctx.now ?? Date.now)()),
    what: `resource ${name} (/v1/${name})`,
  };
}

/** `add resources <model>`: every resource of the file, checked, in dependency order. */
async function resourcesOfModel(
  rest: readonly string[],
  existing: readonly string[],
  ctx: ResourceContext,
): Promise<AddedResources> {
  const [file] = rest;
  if (file === undefined || rest.length > 1) {
    throw new UsageError(
      `Expected one model file: add resources <model.json|model.yaml>, got ${rest.length === 0 ? 'none' : rest.join(' ')}.`,
    );
  }
  const { modelRecords, readModelFile } = await import('../model.js');
  const model = modelRecords(readModelFile(file, ctx.cwd), file, {
    checkName: (name) => checkNewResource(ctx.root, name, existing),
    targets: localTargets(existing, ctx),
  });
  // A resource the file gives no fields has the example module's, recorded as fields: every
  // resource of the run is then declared from its fields, and drizzle-kit migrates them at once.
  const resources = model.map((resource) => ({
    ...resource,
    fields: resource.fields.length > 0 ? resource.fields : defaultFields.map((field) => ({ ...field })),
  }));
  return {
    records: newRecords(ctx.root, resources, (ctx.now ?? Date.now)()),
    what: `resources ${model.map((resource) => resource.name).join(', ')}`,
  };
}

/** `create-sound-backend add …`: the choices or resources after it, through the shared pipeline. */
export async function add(args: AddArgs, ctx: AddContext): Promise<number> {
  const root = projectRoot(args, ctx);
  checkFlags(args);
  const [first, ...rest] = args.positionals;
  if (first === undefined) {
    throw new UsageError(
      `Nothing to add: give kind=value (add ${addExamples.choice}), resource <name> [field …] (add resource orders), or resources <model file>.`,
    );
  }
  const manifest = readManifest(root);
  const before = recordedInput(root, manifest);
  let after: PlanInput;
  let what: string;
  if (args.onDelete !== undefined && first !== 'resource') {
    throw new UsageError(`--on-delete is for the references of add resource <name> [field …], not for add ${first}.`);
  }
  if (args.access !== undefined && first !== 'resource') {
    throw new UsageError(
      `--${args.access} is for add resource <name> [field …], not for add ${first}${first === 'resources' ? ': a model file gives each resource its access:' : ''}.`,
    );
  }
  if (first === 'resource' || first === 'resources') {
    const existing = (before.resources ?? []).map((resource) => resource.name);
    const remote = (before.resources ?? []).filter((resource) => resource.remote).map((resource) => resource.name);
    const added =
      first === 'resource'
        ? await resourceOfArguments(rest, existing, args, { ...ctx, root, remote })
        : await resourcesOfModel(rest, existing, { ...ctx, root, remote });
    after = { ...before, resources: [...(before.resources ?? []), ...added.records] };
    checkAccess(after.resources ?? [], hasAuth(after.stack), new Set(added.records.map((record) => record.name)));
    what = added.what;
  } else {
    after = { ...before, stack: changedStack(before.stack, args.positionals) };
    checkCombination(after.stack);
    what = args.positionals.join(' ');
    checkAuthKept(after.resources ?? [], hasAuth(after.stack), `add ${what}`);
  }
  return evolve({ command: 'add', what, root, manifest, before, after, flags: args }, ctx);
}
