import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { applyChanges } from './apply.js';
import { choiceKinds, type Stack } from './catalogue.js';
import { decideChanges, type FileChange } from './changes.js';
import { UsageError } from './errors.js';
import { formatJson } from './json.js';
import {
  devEnvFile,
  devEnvFor,
  manifestFile,
  type ProjectPlan,
  type ResourceRecord,
  type ServiceIdentity,
  writtenPaths,
} from './plan.js';
import { renderProject } from './render.js';

/** What `sound-backend.json` records, so that `add` can tell generated files from changed ones. */
export interface Manifest {
  generator: 'create-sound-backend';
  version: string;
  createdAt: string;
  /** The package name the project was made with, which templates print. */
  name: string;
  options: Stack & { pm: string };
  /** Modules added with `add resource`, in order. */
  resources: ResourceRecord[];
  /** A service made by `extract`: whose tokens it verifies. */
  identity?: ServiceIdentity;
  /** sha256 of each file as the generator wrote it, by path. */
  files: Record<string, string>;
}

/** The records of a plan's resources, in the order they were added: those extract moved out too. */
function resourcesOf(plan: ProjectPlan): ResourceRecord[] {
  const local = plan.data.resources.map(
    ({ name, migration, record }): ResourceRecord => ({
      name,
      createdAt: migration.when,
      migration: migration.tag,
      ...(record.fields ? { fields: record.fields } : {}),
      ...(record.unique ? { unique: record.unique } : {}),
      ...(record.access ? { access: record.access } : {}),
    }),
  );
  if (plan.data.remotes.length === 0) return local;
  return [...local, ...plan.data.remotes.map((remote) => remote.record)].sort((a, b) => a.createdAt - b.createdAt);
}

/** The manifest of a plan whose files have these hashes. */
export function manifestOf(plan: ProjectPlan, files: Record<string, string>, createdAt: string): Manifest {
  return {
    generator: 'create-sound-backend',
    version: plan.data.generatorVersion,
    createdAt,
    name: plan.data.name,
    // Catalogue order, however the choices were given, so equal choices give equal manifests.
    options: {
      ...(Object.fromEntries(choiceKinds.map((kind) => [kind, plan.data.stack[kind]])) as Stack),
      pm: plan.data.pm.name,
    },
    resources: resourcesOf(plan),
    ...(plan.data.identity ? { identity: plan.data.identity } : {}),
    // By path, however the run gathered them (add decides the migration history apart).
    files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

/** Files in `dir` that the plan would also write. */
function collisions(dir: string, plan: ProjectPlan): string[] {
  return writtenPaths(plan).filter((file) => existsSync(path.join(dir, file)));
}

/**
 * Refuses a target that is a file, or a non-empty folder without --force, or
 * (with --force) one holding a file the project would overwrite.
 */
export function checkTarget(target: string, plan: ProjectPlan, force: boolean): void {
  if (!existsSync(target)) return;
  if (!lstatSync(target).isDirectory()) throw new UsageError(`${target} exists and is not a directory.`);
  const entries = readdirSync(target);
  if (entries.length === 0) return;
  if (!force) {
    throw new UsageError(
      `${target} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}). Choose another directory, or pass --force to add the project beside what is there.`,
    );
  }
  const taken = collisions(target, plan);
  if (taken.length > 0) {
    throw new UsageError(
      `${target} already has files the project would overwrite, so nothing was written:\n  ${taken.join('\n  ')}`,
    );
  }
}

/** A development secret: 32 random bytes, base64url (43 characters). */
export const randomSecret = () => randomBytes(32).toString('base64url');

/**
 * What `create` writes into `target`: the planned files, the manifest, and a development `.env`
 * when the project has secrets, unless `target` has one already (that one is the user's).
 */
export function createdPaths(plan: ProjectPlan, target: string): string[] {
  const devEnv = plan.devSecrets.length > 0 && !existsSync(path.join(target, devEnvFile));
  return [...writtenPaths(plan), ...(devEnv ? [devEnvFile] : [])].sort();
}

/**
 * Writes the project into `target` (made when missing) as `add` writes a change: the plan
 * rendered in memory, every file a create (src/changes.ts), applied all or nothing
 * (src/apply.ts), the manifest last. With --force, the files beside ours stay untouched.
 * Returns the written paths.
 */
export async function writeProject(
  plan: ProjectPlan,
  target: string,
  makeSecret: () => string = randomSecret,
): Promise<string[]> {
  const paths = createdPaths(plan, target);
  const planned = await renderProject(plan);
  const disk = new Map<string, Buffer | undefined>();
  for (const file of planned.keys()) {
    const full = path.join(target, file);
    disk.set(file, existsSync(full) ? await readFile(full) : undefined);
  }
  const set = decideChanges({ planned, disk, recorded: {}, merges: {}, force: false });
  // checkTarget refused these already, unless they appeared since.
  if (set.conflicts.length > 0) {
    throw new UsageError(
      `${target} already has files the project would overwrite, so nothing was written:\n  ${set.conflicts.map((conflict) => conflict.path).join('\n  ')}`,
    );
  }
  // Secrets, for this user only: not in the manifest, so `add` never touches the file.
  const devEnv: FileChange[] = paths.includes(devEnvFile)
    ? [{ path: devEnvFile, action: 'create', after: Buffer.from(devEnvFor(plan, makeSecret)), mode: 0o600 }]
    : [];
  const manifest = manifestOf(plan, set.recorded, new Date().toISOString());
  await applyChanges(target, [...set.changes, ...devEnv], { path: manifestFile, content: formatJson(manifest) });
  return paths;
}
