import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { createTwoFilesPatch } from 'diff';
import { featureModules } from '../../generators/index.js';
import { applyChanges } from '../apply.js';
import type { PackageManager } from '../catalogue.js';
import { type ChangeSet, decideChanges, type FileChange } from '../changes.js';
import {
  type Contribution,
  type ContributionChange,
  contributionChanges,
  renderWithContributions,
} from '../contributions.js';
import { CliError } from '../errors.js';
import { formatJson } from '../json.js';
import { migrationHistory } from '../migrations.js';
import { manifestFile, type PlanInput, planProject, type ResourceRecord } from '../plan.js';
import type { RenderedProject } from '../render.js';
import { generatorVersion } from '../version.js';
import { type Manifest, manifestOf } from '../write.js';
import { lineRange, mergeEnvExample, mergePackageJson, mergeThreeWay } from './merge.js';

/**
 * The one way `add`, `remove` and `upgrade` change a generated project: render the project the
 * manifest records (the base) and the one wanted (theirs), merge theirs into what is on disk
 * (ours) file by file, then write all of it or none of it and say what to do next.
 */

export interface EvolveContext {
  stdout: Writable;
  stderr: Writable;
}

export interface EvolveFlags {
  force: boolean;
  /** Overlapping changes are written with conflict markers instead of stopping the run. */
  merge: boolean;
  dryRun: boolean;
  json: boolean;
}

/** The project every merge starts from: what the generator wrote for the recorded options. */
export interface MergeBase {
  files: RenderedProject;
  /** What each feature put in each shared file, when the base was rendered by this version. */
  contributions?: Contribution[];
}

export interface Evolution {
  /** The command, as the messages name it: `add`, `remove`, `upgrade`. */
  command: string;
  /** What changes, as the messages name it: `kind=value`, `resource orders (/v1/orders)`. */
  what: string;
  root: string;
  manifest: Manifest;
  before: PlanInput;
  after: PlanInput;
  /** Default: this version's render of `before`. `upgrade` passes the recorded version's. */
  base?: MergeBase;
  flags: EvolveFlags;
  /** What to do about files in the way, for a command without --merge and --force (`extract`). */
  inTheWay?: string;
  /**
   * Takes the JSON summary instead of stdout: a command that prints one summary of its own with
   * this one inside (`extract`). Called where `--json` would print it, a dry run's included.
   */
  report?: (summary: EvolveSummary) => void;
  /** Variables the command sets in .env itself (`extract`'s signing secret): no next step asks for them. */
  setInEnv?: readonly string[];
}

/** What `--json` prints of a run: each change, and what to do next. */
export interface EvolveSummary {
  dir: string;
  changes: { path: string; action: FileChange['action']; markers?: string[] }[];
  contributions: ContributionChange[];
  keptDeleted: string[];
  conflicts: ChangeSet['conflicts'];
  next: string[];
  dryRun?: true;
}

const schemaFile = 'src/db/schema.ts';

/**
 * Resources with fields, or served by a service: whether the run adds, drops or changes one, the
 * tables it adds, and the tables of those it moves out (`extract`), which leave the schema.
 */
function typedTables(
  before: PlanInput,
  after: PlanInput,
): { changed: boolean; any: boolean; added: string[]; movedOut: string[] } {
  const typedOf = (input: PlanInput) =>
    (input.resources ?? []).filter((resource) => resource.fields !== undefined || resource.remote !== undefined);
  const spec = (resources: readonly ResourceRecord[]) =>
    JSON.stringify(
      resources.map(({ name, fields, unique, access, remote }) => [name, fields, unique, access, remote !== undefined]),
    );
  const [was, will] = [typedOf(before), typedOf(after)];
  const known = new Set(was.map((resource) => resource.name));
  const local = new Set(
    (before.resources ?? []).filter((resource) => !resource.remote).map((resource) => resource.name),
  );
  const table = (resource: ResourceRecord) => resource.name.replace(/-/g, '_');
  return {
    changed: spec(was) !== spec(will),
    any: was.length + will.length > 0,
    added: will.filter((resource) => !known.has(resource.name) && !resource.remote).map(table),
    movedOut: will.filter((resource) => resource.remote && local.has(resource.name)).map(table),
  };
}

const textOf = (files: RenderedProject, file: string): string => {
  const found = files.get(file);
  if (found === undefined) throw new Error(`${file} is not part of the rendered project`);
  return found.content.toString('utf8');
};

function variableNames(envExample: string): string[] {
  return [...envExample.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((match) => match[1] ?? '');
}

function dependenciesOf(packageJson: string): Record<string, string> {
  const pkg = JSON.parse(packageJson) as { dependencies?: object; devDependencies?: object };
  return { ...pkg.devDependencies, ...pkg.dependencies } as Record<string, string>;
}

/** `added x, y; removed z; x ^1 → ^2`: what changed between two maps of names, empty when nothing. */
function describeChanges(was: Record<string, string>, will: Record<string, string>, versions: boolean): string {
  const added = Object.keys(will).filter((name) => !(name in was));
  const removed = Object.keys(was).filter((name) => !(name in will));
  const changed = versions ? Object.keys(will).filter((name) => name in was && was[name] !== will[name]) : [];
  return [
    added.length > 0 ? `added ${added.join(', ')}` : '',
    removed.length > 0 ? `removed ${removed.join(', ')}` : '',
    ...changed.map((name) => `${name} ${was[name]} → ${will[name]}`),
  ]
    .filter((part) => part !== '')
    .join('; ');
}

const isText = (content: Buffer) => !content.includes(0);

/** What drizzle-kit names the migration a change of tables needs: `<kind>_<value>`, `remove_<kind>_<value>`. */
const migrationName = (command: string, what: string) =>
  `${command === 'add' ? '' : `${command} `}${what}`.replace(/\W+/g, '_').replace(/^_|_$/g, '');

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

/** Decides every change first, then writes all of them or none; returns the exit code. */
export async function evolve(evolution: Evolution, ctx: EvolveContext): Promise<number> {
  const { command, what, root, manifest, before, after, flags } = evolution;
  const human = flags.json ? ctx.stderr : ctx.stdout;
  const say = (line: string) => human.write(`${line}\n`);
  const pm = after.pm as PackageManager;

  // 1. Render the project wanted in memory, the same way `create` does, and the base to merge from.
  const version = generatorVersion();
  const newPlan = planProject(after, version);
  const { files: planned, contributions } = await renderWithContributions(newPlan);
  const base = evolution.base ?? (await renderWithContributions(planProject(before, version)));
  const paths = new Set([...planned.keys(), ...Object.keys(manifest.files)]);
  const disk = new Map<string, Buffer | undefined>();
  for (const file of paths) {
    const full = path.join(root, file);
    disk.set(file, existsSync(full) ? await readFile(full) : undefined);
  }
  // Migrations already written are history: decided apart (src/migrations.ts), never rewritten.
  const sql = newPlan.features.map((id) => featureModules[id]?.migrationSql).find((each) => each !== undefined);
  const typed = typedTables(before, after);
  const history = migrationHistory({
    root,
    base: base.files,
    planned,
    recorded: manifest.files,
    sql,
    // A typed resource's table is drizzle-kit's to migrate: so is any change of its declaration.
    typedTables: typed.changed || (typed.any && textOf(base.files, schemaFile) !== textOf(planned, schemaFile)),
    movedOut: typed.movedOut,
  });
  const sharedFile = (file: string, merge: typeof mergePackageJson) => (current: string) =>
    merge(current, textOf(base.files, file), textOf(planned, file));
  const decide = (markConflicts: boolean): ChangeSet =>
    decideChanges({
      planned: history.planned,
      disk,
      recorded: history.recorded,
      merges: {
        'package.json': sharedFile('package.json', mergePackageJson),
        '.env.example': sharedFile('.env.example', mergeEnvExample),
      },
      lineMerge: (file, current) => {
        const was = base.files.get(file)?.content;
        const will = planned.get(file)?.content;
        if (was === undefined || will === undefined || was.includes(0)) return undefined;
        const { text, overlaps } = mergeThreeWay(current, was.toString('utf8'), will.toString('utf8'));
        return {
          text,
          yours: overlaps.map((overlap) => lineRange(overlap.yours)),
          marked: overlaps.map((overlap) => lineRange(overlap.marked)),
        };
      },
      markConflicts,
      force: flags.force,
    });
  const set = decide(flags.merge);
  const stopped = set.conflicts.length > 0 && !flags.force;
  // The new migration follows the merged schema: none while a conflict stops the run.
  const migrations = stopped
    ? { changes: [], recorded: {}, notes: [] }
    : await history.evolve({
        changes: set.changes,
        name: typed.added.length > 0 ? typed.added.join('_') : migrationName(command, what),
        run: newPlan.data.pm.run,
      });
  set.changes.push(...migrations.changes);
  // The typed resources added are in the migration drizzle-kit wrote for the run: the manifest names it.
  const written = migrations.changes.find(
    (change) => change.action === 'create' && /^drizzle\/[^/]+\.sql$/.test(change.path),
  );
  for (const resource of newPlan.data.resources) {
    if (written && typed.added.includes(resource.table)) resource.migration.tag = path.basename(written.path, '.sql');
  }
  const nextManifest = formatJson(manifestOf(newPlan, { ...set.recorded, ...migrations.recorded }, manifest.createdAt));
  const manifestChanged = nextManifest !== readFileSync(path.join(root, manifestFile), 'utf8');

  const inTheWay = new CliError(
    [
      `${command} ${what}: ${set.conflicts.length} file${set.conflicts.length === 1 ? '' : 's'} in the way, so nothing was changed:`,
      ...set.conflicts.map((conflict) => `  ${conflict.path}: ${conflict.reason}`),
      ...(evolution.inTheWay === undefined
        ? [
            `Commit or move your version and run ${command} again; or pass --merge to write both versions between conflict`,
            'markers for you to resolve, or --force to overwrite them (each is kept as <file>.orig).',
          ]
        : [evolution.inTheWay]),
    ].join('\n'),
    2,
  );
  if (stopped && !flags.dryRun) throw inTheWay;

  // What each feature added to or removed from the shared files this changes.
  const changed = new Set(set.changes.map((change) => change.path));
  const contributed = base.contributions
    ? contributionChanges(base.contributions, contributions).filter((each) => changed.has(each.path))
    : [];
  const summary: EvolveSummary = {
    dir: root,
    [command]: what,
    changes: set.changes.map((change) => ({
      path: change.path,
      action: change.action,
      ...(change.markers ? { markers: change.markers } : {}),
    })),
    contributions: contributed,
    keptDeleted: set.keptDeleted,
    conflicts: set.conflicts,
    next: [],
  };
  const emit = (printed: EvolveSummary) => {
    if (evolution.report) evolution.report(printed);
    else if (flags.json) ctx.stdout.write(`${JSON.stringify(printed, null, 2)}\n`);
  };
  if (set.changes.length === 0 && !manifestChanged && !stopped) {
    say(`${command} ${what}: nothing to do, the project has it already.`);
    emit(summary);
    return 0;
  }

  // 2. Dry run: the plan and a unified diff of each change; nothing written.
  const label = { create: 'create', update: 'update', merge: 'merge ', delete: 'delete' };
  if (flags.dryRun) {
    // Where a real run would stop, the diff shows what --merge would write there.
    const shown = stopped && !flags.merge ? decide(true) : set;
    say(
      `${command} ${what} would change ${shown.changes.length} file${shown.changes.length === 1 ? '' : 's'} in ${root}:`,
    );
    for (const change of shown.changes) {
      const yours = change.overridesUser ? ` (yours: ${change.overridesUser})` : '';
      const markers = change.markers ? ` (conflict markers: lines ${change.markers.join(', ')})` : '';
      say(`  ${label[change.action]} ${change.path}${contributionNote(contributed, change.path)}${yours}${markers}`);
    }
    for (const file of shown.keptDeleted) say(`  (left deleted) ${file}`);
    for (const change of shown.changes) {
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
    emit({ ...summary, dryRun: true });
    if (stopped) throw inTheWay;
    return 0;
  }

  // 3. Write all of it or none of it (a Ctrl-C meanwhile undoes it and exits 130).
  const kept = await applyChanges(root, set.changes, { path: manifestFile, content: nextManifest });
  say(`${command} ${what}: ${set.changes.length} file${set.changes.length === 1 ? '' : 's'} changed in ${root}.`);
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

  // 4. What changed besides files (dependencies, variables, migrations), and what the user does next.
  const run = newPlan.data.pm.run;
  const next: string[] = [];
  const outside: string[] = [];
  const dependencies = describeChanges(
    dependenciesOf(textOf(base.files, 'package.json')),
    dependenciesOf(textOf(planned, 'package.json')),
    true,
  );
  if (dependencies !== '') {
    outside.push(`dependencies: ${dependencies}`);
    next.push(`${pm} install`);
  }
  const variables = (envExample: string) => Object.fromEntries(variableNames(envExample).map((name) => [name, '']));
  const oldVariables = variables(textOf(base.files, '.env.example'));
  const newVariables = variables(textOf(planned, '.env.example'));
  const environment = describeChanges(oldVariables, newVariables, false);
  if (environment !== '') outside.push(`environment variables: ${environment}`);
  const addedVariables = Object.keys(newVariables).filter(
    (name) => !(name in oldVariables) && !evolution.setInEnv?.includes(name),
  );
  if (addedVariables.length > 0) next.push(`set ${addedVariables.join(', ')} in .env (see .env.example)`);
  const migrationFiles = set.changes.filter(
    (change) => change.path.startsWith('drizzle/') && change.action !== 'delete',
  );
  if (migrationFiles.length > 0) {
    outside.push(`migrations: ${migrationFiles.map((change) => change.path).join(', ')}`);
  }
  if (migrations.pending) next.push(migrations.pending.command);
  if (migrationFiles.length > 0 || migrations.pending) next.push(`${run} db:migrate`);
  next.push(`${run} test`);
  if (outside.length > 0) say(`\nAlso changed:\n${outside.map((line) => `  ${line}`).join('\n')}`);
  summary.next = next;
  const warnings: string[] = [];
  warnings.push(...migrations.notes);
  if (migrations.pending) {
    warnings.push(
      `The tables change, and no migration was written for them: ${migrations.pending.reason}.`,
      `Run ${migrations.pending.command} to write it (your migrations stay as they are), then db:migrate.`,
    );
  }
  if (manifest.version !== version && evolution.base === undefined) {
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
  emit(summary);
  return 0;
}
