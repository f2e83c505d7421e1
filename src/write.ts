import { createHash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fse from 'fs-extra';
import { choiceKinds, type Stack } from './catalogue.js';
import { UsageError } from './errors.js';
import { formatJson } from './json.js';
import { devEnvFile, devEnvFor, manifestFile, type ProjectPlan, type ResourceRecord, writtenPaths } from './plan.js';
import { renderPlan } from './render.js';

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
  /** sha256 of each file as the generator wrote it, by path. */
  files: Record<string, string>;
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
    resources: plan.data.resources.map((resource) => ({ name: resource.name, createdAt: resource.migration.when })),
    files,
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

export function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

async function manifestFor(plan: ProjectPlan, staging: string): Promise<Manifest> {
  const files: Record<string, string> = {};
  for (const file of plan.files) files[file.path] = sha256(await readFile(path.join(staging, file.path)));
  return manifestOf(plan, files, new Date().toISOString());
}

/**
 * Renders into a temporary folder beside the target, then moves it into place,
 * so an interrupted run leaves no half project. Returns the written paths.
 */
export async function writeProject(
  plan: ProjectPlan,
  target: string,
  makeSecret: () => string = randomSecret,
): Promise<string[]> {
  const paths = createdPaths(plan, target);
  const parent = path.dirname(target);
  const createdParent = await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(path.join(parent, `.${path.basename(target)}.sound-`));
  // Ctrl-C while writing: leave nothing behind, exit as a cancel.
  const abort = () => {
    fse.removeSync(staging);
    if (createdParent !== undefined) fse.removeSync(createdParent);
    process.exit(130);
  };
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  try {
    await renderPlan(plan, staging);
    const manifest = await manifestFor(plan, staging);
    await writeFile(path.join(staging, manifestFile), formatJson(manifest));
    // Secrets, for this user only: not in the manifest, so `add` never touches the file.
    if (paths.includes(devEnvFile)) {
      await writeFile(path.join(staging, devEnvFile), devEnvFor(plan, makeSecret), { mode: 0o600 });
    }

    if (!existsSync(target) || readdirSync(target).length === 0) {
      if (existsSync(target)) await rmdir(target);
      await rename(staging, target);
    } else {
      // --force into a folder with other files: each of ours is new there (checkTarget made sure).
      for (const file of paths) {
        await fse.move(path.join(staging, file), path.join(target, file), { overwrite: false });
      }
      await rm(staging, { recursive: true });
    }
    return paths;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (createdParent !== undefined) await rm(createdParent, { recursive: true, force: true });
    throw error;
  } finally {
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
  }
}
