import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { createTwoFilesPatch } from 'diff';
import { applyChanges } from '../apply.js';
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
import { type ChangeSet, decideChanges } from '../changes.js';
import { type ContributionChange, contributionChanges, renderWithContributions } from '../contributions.js';
import { CliError, UsageError } from '../errors.js';
import { formatJson } from '../json.js';
import { migrationHistory, nextMigrationTag } from '../migrations.js';
import { checkCombination, parseChoice } from '../options.js';
import { manifestFile, type PlanInput, type ProjectPlan, planProject, type ResourceRecord } from '../plan.js';
import { checkResourceName, resourceNames } from '../resource.js';
import { generatorVersion } from '../version.js';
import { type Manifest, manifestOf } from '../write.js';
import { lineRange, mergeEnvExample, mergePackageJson, mergeThreeWay } from './merge.js';

export interface AddContext {
  cwd: string;
  stdout: Writable;
  stderr: Writable;
  /** The time a resource is added at (tests pin it). */
  now?: () => number;
}

/** Reads `sound-backend.json`, or explains what `add` needs and what can be done without it. */
function readManifest(root: string): Manifest {
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
function projectName(root: string, manifest: Manifest): string {
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
    const current = (next[kind] as string[]).filter((item) => item !== 'none');
    next[kind] = value.includes('none') ? ['none'] : [...current, ...value.filter((item) => !current.includes(item))];
  }
  return next as Stack;
}

const written = (plan: ProjectPlan, file: string) => {
  const found = plan.files.find((each) => each.path === file);
  if (found?.kind !== 'write') throw new Error(`${file} is not made by the plan`);
  return found.content;
};

function variableNames(envExample: string): string[] {
  return [...envExample.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((match) => match[1] ?? '');
}

function dependencySet(packageJson: string): string {
  const pkg = JSON.parse(packageJson) as { dependencies?: object; devDependencies?: object };
  return JSON.stringify([pkg.dependencies, pkg.devDependencies]);
}

const isText = (content: Buffer) => !content.includes(0);

/**
 * What the features did to a file's places, after its path in the listing:
 * ` (<feature> added <place>, <place>; <feature> removed <place>)`, e.g. a cache switched in `src/app.ts`.
 */
function contributionNote(changes: readonly ContributionChange[], file: string): string {
  const groups = new Map<string, string[]>();
  for (const { path: changed, feature, place, change } of changes) {
    if (changed !== file) continue;
    const group = `${feature} ${change}`;
    groups.set(group, [...(groups.get(group) ?? []), place]);
  }
  if (groups.size === 0) return '';
  return ` (${[...groups].map(([group, places]) => `${group} ${places.join(', ')}`).join('; ')})`;
}

/** `create-sound-backend add …`: decide every change first, then write all of them or none. */
export async function add(args: AddArgs, ctx: AddContext): Promise<number> {
  const human = args.json ? ctx.stderr : ctx.stdout;
  const say = (line: string) => human.write(`${line}\n`);
  const root = path.resolve(ctx.cwd, args.cwd ?? '.');
  if (!existsSync(root)) throw new UsageError(`No such directory: ${root}`);
  if (args.merge && args.force) {
    throw new UsageError('--merge and --force disagree about files you changed: pass one of them.');
  }
  const [first, ...rest] = args.positionals;
  if (first === undefined) {
    throw new UsageError(
      `Nothing to add: give kind=value (add ${addExamples.choice}) or resource <name> (add resource orders).`,
    );
  }

  // 1. What the project is, and what it will be.
  const manifest = readManifest(root);
  const pm = manifest.options.pm as PackageManager;
  if (!packageManagers.includes(pm)) throw new UsageError(`${manifestFile} names an unknown package manager "${pm}".`);
  const stack = Object.fromEntries(choiceKinds.map((kind) => [kind, manifest.options[kind]])) as Stack;
  const before: PlanInput = { name: projectName(root, manifest), stack, pm, resources: manifest.resources ?? [] };
  let after: PlanInput;
  let what: string;
  if (first === 'resource') {
    if (rest.length !== 1) throw new UsageError('Expected one name: add resource <name>, e.g. add resource orders.');
    const name = rest[0] ?? '';
    const existing = (before.resources ?? []).map((resource) => resource.name);
    checkResourceName(name, existing);
    if (existsSync(path.join(root, 'src/modules', name))) {
      throw new UsageError(`src/modules/${name} exists already: choose another name, or move that folder away first.`);
    }
    // Numbered after the journal's last migration, which may be the user's own.
    const migration = nextMigrationTag(root, resourceNames(name).table);
    const record: ResourceRecord = { name, createdAt: (ctx.now ?? Date.now)(), ...(migration ? { migration } : {}) };
    after = { ...before, resources: [...(before.resources ?? []), record] };
    what = `resource ${name} (/v1/${name})`;
  } else {
    after = { ...before, stack: changedStack(stack, args.positionals) };
    checkCombination(after.stack);
    what = args.positionals.join(' ');
  }

  // 2. Render the new project in memory, the same way `create` does, and compare.
  const version = generatorVersion();
  const oldPlan = planProject(before, version);
  const newPlan = planProject(after, version);
  const { files: planned, contributions } = await renderWithContributions(newPlan);
  // The base of every merge: the project as this version renders the options recorded.
  const { files: base, contributions: oldContributions } = await renderWithContributions(oldPlan);
  const paths = new Set([...planned.keys(), ...Object.keys(manifest.files)]);
  const disk = new Map<string, Buffer | undefined>();
  for (const file of paths) {
    const full = path.join(root, file);
    disk.set(file, existsSync(full) ? await readFile(full) : undefined);
  }
  const sharedFile = (file: string, merge: typeof mergePackageJson) => (current: string) =>
    merge(current, written(oldPlan, file), written(newPlan, file));
  // Migrations already written are history: decided apart, never rewritten.
  const history = migrationHistory({ root, base, planned, recorded: manifest.files });
  const set: ChangeSet = decideChanges({
    planned: history.planned,
    disk,
    recorded: history.recorded,
    merges: {
      'package.json': sharedFile('package.json', mergePackageJson),
      '.env.example': sharedFile('.env.example', mergeEnvExample),
    },
    lineMerge: (file, current) => {
      const was = base.get(file)?.content;
      const will = planned.get(file)?.content;
      if (was === undefined || will === undefined || was.includes(0)) return undefined;
      const { text, overlaps } = mergeThreeWay(current, was.toString('utf8'), will.toString('utf8'));
      return {
        text,
        yours: overlaps.map((overlap) => lineRange(overlap.yours)),
        marked: overlaps.map((overlap) => lineRange(overlap.marked)),
      };
    },
    markConflicts: args.merge,
    force: args.force,
  });
  if (set.conflicts.length > 0 && !args.force) {
    throw new CliError(
      [
        `add ${what}: ${set.conflicts.length} file${set.conflicts.length === 1 ? '' : 's'} in the way, so nothing was changed:`,
        ...set.conflicts.map((conflict) => `  ${conflict.path}: ${conflict.reason}`),
        'Commit or move your version and run add again; or pass --merge to write both versions between conflict',
        'markers for you to resolve, or --force to overwrite them (each is kept as <file>.orig).',
      ].join('\n'),
      2,
    );
  }
  const run = newPlan.data.pm.run;
  const migrations = await history.evolve({
    changes: set.changes,
    name: args.positionals.join(' ').replace(/\W+/g, '_'),
    run,
  });
  set.changes.push(...migrations.changes);
  const nextManifest = formatJson(manifestOf(newPlan, { ...set.recorded, ...migrations.recorded }, manifest.createdAt));
  const manifestChanged = nextManifest !== readFileSync(path.join(root, manifestFile), 'utf8');

  // What each feature added to or removed from the shared files this changes.
  const changed = new Set(set.changes.map((change) => change.path));
  const contributed = contributionChanges(oldContributions, contributions).filter((each) => changed.has(each.path));
  const summary = {
    dir: root,
    add: what,
    changes: set.changes.map((change) => ({
      path: change.path,
      action: change.action,
      ...(change.markers ? { markers: change.markers } : {}),
    })),
    contributions: contributed,
    keptDeleted: set.keptDeleted,
    next: [] as string[],
  };
  if (set.changes.length === 0 && !manifestChanged) {
    say(`add ${what}: nothing to do, the project has it already.`);
    if (args.json) ctx.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return 0;
  }

  // 3. Dry run: the plan and a unified diff of each change; nothing written.
  const label = { create: 'create', update: 'update', merge: 'merge ', delete: 'delete' };
  if (args.dryRun) {
    say(`add ${what} would change ${set.changes.length} file${set.changes.length === 1 ? '' : 's'} in ${root}:`);
    for (const change of set.changes) {
      const yours = change.overridesUser ? ` (yours: ${change.overridesUser})` : '';
      const markers = change.markers ? ` (conflict markers: lines ${change.markers.join(', ')})` : '';
      say(`  ${label[change.action]} ${change.path}${contributionNote(contributed, change.path)}${yours}${markers}`);
    }
    for (const file of set.keptDeleted) say(`  (left deleted) ${file}`);
    for (const change of set.changes) {
      const old = change.before ?? Buffer.alloc(0);
      const next = change.after ?? Buffer.alloc(0);
      if (!isText(old) || !isText(next)) {
        say(`Binary file ${change.path} differs`);
        continue;
      }
      const from = change.before === undefined ? '/dev/null' : `a/${change.path}`;
      const to = change.after === undefined ? '/dev/null' : `b/${change.path}`;
      const patch = createTwoFilesPatch(from, to, old.toString('utf8'), next.toString('utf8'), undefined, undefined, {
        context: 3,
      });
      // As `diff -u` and git print it, without jsdiff's ==== separator line.
      human.write(patch.replace(/^=+\n/, ''));
    }
    say('Dry run: nothing was written.');
    if (args.json) ctx.stdout.write(`${JSON.stringify({ ...summary, dryRun: true }, null, 2)}\n`);
    return 0;
  }

  // 4. Write all of it or none of it (a Ctrl-C meanwhile undoes it and exits 130).
  const kept = await applyChanges(root, set.changes, { path: manifestFile, content: nextManifest });
  say(`add ${what}: ${set.changes.length} file${set.changes.length === 1 ? '' : 's'} changed in ${root}.`);
  for (const change of set.changes) {
    say(`  ${label[change.action]} ${change.path}${contributionNote(contributed, change.path)}`);
  }
  for (const file of kept) say(`  Your version is kept as ${file}`);
  const marked = set.changes.filter((change) => change.markers !== undefined);
  if (marked.length > 0) {
    say('\nResolve the conflict markers (<<<<<<< yours … >>>>>>> create-sound-backend) in:');
    for (const change of marked) say(`  ${change.path}: lines ${change.markers?.join(', ')}`);
  }
  for (const file of set.keptDeleted) say(`  ${file}: deleted by you, left deleted`);

  // 5. What the user does next.
  const next: string[] = [];
  if (dependencySet(written(oldPlan, 'package.json')) !== dependencySet(written(newPlan, 'package.json'))) {
    next.push(`${pm} install`);
  }
  const newVariables = variableNames(written(newPlan, '.env.example')).filter(
    (name) => !variableNames(written(oldPlan, '.env.example')).includes(name),
  );
  if (newVariables.length > 0) next.push(`set ${newVariables.join(', ')} in .env (see .env.example)`);
  const migrationChanges = set.changes.filter(
    (change) => change.path.startsWith('drizzle/') && change.action !== 'delete',
  );
  if (migrations.pending) next.push(migrations.pending.command);
  if (migrationChanges.length > 0 || migrations.pending) next.push(`${run} db:migrate`);
  next.push(`${run} test`);
  summary.next = next;
  const warnings: string[] = [];
  warnings.push(...migrations.notes);
  if (migrations.pending) {
    warnings.push(
      `The tables change, and no migration was written for them: ${migrations.pending.reason}.`,
      `Run ${migrations.pending.command} to write it (your migrations stay as they are), then db:migrate.`,
    );
  }
  if (manifest.version !== version) {
    warnings.push(
      `The project was generated by ${manifest.version}, this is ${version}: the files it wrote got this version's content.`,
    );
  }
  if (before.stack.db !== after.stack.db) {
    warnings.push(
      `The database moved from ${before.stack.db} to ${after.stack.db}: no data was copied; the new one starts empty.`,
    );
  }
  if (warnings.length > 0) say(`\nNote: ${warnings.join('\n  ')}`);
  say(`\nNext:\n${next.map((step) => `  ${step}`).join('\n')}`);
  if (args.json) ctx.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  return 0;
}
