import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileChange } from './changes.js';

/** `<file>.orig`, or `<file>.orig.2`… when that is taken: the user's version, kept beside. */
function freeBackupName(root: string, file: string): string {
  let name = `${file}.orig`;
  for (let n = 2; existsSync(path.join(root, name)); n++) name = `${file}.orig.${n}`;
  return name;
}

/** Creates the missing parents of `dir` below `root`, and returns those it created, deepest last. */
async function makeParents(root: string, dir: string): Promise<string[]> {
  const missing: string[] = [];
  for (let current = dir; current !== root && !existsSync(current); current = path.dirname(current)) {
    missing.unshift(current);
  }
  for (const folder of missing) await mkdir(folder);
  return missing;
}

async function removeIfEmpty(root: string, dir: string): Promise<void> {
  for (let current = dir; current !== root && current.startsWith(root); current = path.dirname(current)) {
    if (!existsSync(current) || (await readdir(current)).length > 0) return;
    await rmdir(current);
  }
}

/**
 * Applies every change or none: new contents are staged in a folder inside the project (same
 * file system, so each move is a rename), the files they replace or remove are moved aside, and
 * on any failure everything moved is put back. The manifest is written last, the same way.
 * Returns the `.orig` files written with the user's versions.
 */
export async function applyChanges(
  root: string,
  changes: readonly FileChange[],
  manifest: { path: string; content: string },
): Promise<string[]> {
  const work = await mkdtemp(path.join(root, '.sound-backend-add-'));
  const staged = path.join(work, 'new');
  const aside = path.join(work, 'old');
  const writes: { file: string; content: Buffer }[] = changes.flatMap((change) =>
    change.after === undefined ? [] : [{ file: change.path, content: change.after }],
  );
  const kept: string[] = [];
  for (const change of changes) {
    if (change.overridesUser !== undefined && change.before !== undefined) {
      const name = freeBackupName(root, change.path);
      kept.push(name);
      writes.push({ file: name, content: change.before });
    }
  }
  writes.push({ file: manifest.path, content: Buffer.from(manifest.content) });
  const replaced = [
    ...changes.filter((change) => change.before !== undefined).map((change) => change.path),
    ...(existsSync(path.join(root, manifest.path)) ? [manifest.path] : []),
  ];

  const movedAside: string[] = [];
  const placed: string[] = [];
  const createdDirs: string[] = [];
  try {
    for (const { file, content } of writes) {
      await mkdir(path.dirname(path.join(staged, file)), { recursive: true });
      await writeFile(path.join(staged, file), content);
    }
    for (const file of replaced) {
      await mkdir(path.dirname(path.join(aside, file)), { recursive: true });
      await rename(path.join(root, file), path.join(aside, file));
      movedAside.push(file);
    }
    for (const { file } of writes) {
      createdDirs.push(...(await makeParents(root, path.dirname(path.join(root, file)))));
      await rename(path.join(staged, file), path.join(root, file));
      placed.push(file);
    }
  } catch (error) {
    for (const file of placed.reverse()) await rm(path.join(root, file), { force: true });
    for (const file of movedAside.reverse()) await rename(path.join(aside, file), path.join(root, file));
    for (const dir of createdDirs.reverse()) await rmdir(dir).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
    throw error;
  }
  await rm(work, { recursive: true, force: true });
  for (const change of changes) {
    if (change.after === undefined) await removeIfEmpty(root, path.dirname(path.join(root, change.path)));
  }
  return kept;
}
