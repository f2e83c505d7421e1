import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileChange } from './changes.js';
import { CancelledError, CliError } from './errors.js';

/**
 * Writing what `create` and `add` decided (src/changes.ts): all of it or none of it, and a Ctrl-C
 * (or SIGTERM) while writing undoes what was written and exits 130.
 */

/** Set by the cli tests: stop after placing the first file until a signal comes, to send one. */
export const pauseMidWriteVariable = 'CREATE_SOUND_BACKEND_TEST_PAUSE_MID_WRITE';

/** `<file>.orig`, or `<file>.orig.2`… when that is taken: the user's version, kept beside. */
function freeBackupName(root: string, file: string): string {
  let name = `${file}.orig`;
  for (let n = 2; existsSync(path.join(root, name)); n++) name = `${file}.orig.${n}`;
  return name;
}

/** Creates the missing folders down to `dir` (below `root`, or all of them without one), shallowest first. */
async function makeFolders(dir: string, root?: string): Promise<string[]> {
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

/** Holds SIGINT and SIGTERM while files move, so that the undo runs before the process exits. */
function holdSignals() {
  let wake = () => {};
  const signal = { received: false, arrived: new Promise<void>((resolve) => (wake = resolve)) };
  const onSignal = () => {
    signal.received = true;
    wake();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const release = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  return { signal, release };
}

async function pauseForTest(signal: { arrived: Promise<void> }): Promise<void> {
  process.stderr.write('paused mid-write\n');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([signal.arrived, new Promise((resolve) => (timer = setTimeout(resolve, 10_000)))]);
  clearTimeout(timer);
}

/**
 * Applies every change or none. `root` is made when missing (`create`), with its missing
 * parents. New contents are staged in a folder inside it (same file system, so each move is a
 * rename), the files they replace or remove are moved aside, and on any failure or signal
 * everything moved is put back and every folder made is removed. The manifest is written
 * last, the same way. Returns the `.orig` files written with the user's versions.
 */
export async function applyChanges(
  root: string,
  changes: readonly FileChange[],
  manifest: { path: string; content: string },
): Promise<string[]> {
  const writes: { file: string; content: Buffer; mode?: number }[] = changes.flatMap((change) =>
    change.after === undefined ? [] : [{ file: change.path, content: change.after, mode: change.mode }],
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

  const { signal, release } = holdSignals();
  const stopIfSignalled = () => {
    if (signal.received) throw new CancelledError();
  };
  const createdDirs: string[] = [];
  const movedAside: string[] = [];
  const placed: string[] = [];
  let work: string | undefined;
  try {
    try {
      createdDirs.push(...(await makeFolders(root)));
      work = await mkdtemp(path.join(root, '.sound-backend-write-'));
      const staged = path.join(work, 'new');
      const aside = path.join(work, 'old');
      for (const { file, content, mode } of writes) {
        await mkdir(path.dirname(path.join(staged, file)), { recursive: true });
        await writeFile(path.join(staged, file), content, mode === undefined ? {} : { mode });
        if (mode !== undefined) await chmod(path.join(staged, file), mode);
        stopIfSignalled();
      }
      for (const file of replaced) {
        await mkdir(path.dirname(path.join(aside, file)), { recursive: true });
        await rename(path.join(root, file), path.join(aside, file));
        movedAside.push(file);
        stopIfSignalled();
      }
      for (const { file } of writes) {
        createdDirs.push(...(await makeFolders(path.dirname(path.join(root, file)), root)));
        await rename(path.join(staged, file), path.join(root, file));
        placed.push(file);
        if (placed.length === 1 && process.env[pauseMidWriteVariable]) await pauseForTest(signal);
        stopIfSignalled();
      }
    } catch (error) {
      for (const file of placed.reverse()) await rm(path.join(root, file), { force: true });
      for (const file of movedAside.reverse()) {
        await rename(path.join(work ?? root, 'old', file), path.join(root, file));
      }
      if (work !== undefined) await rm(work, { recursive: true, force: true });
      for (const dir of createdDirs.reverse()) await rmdir(dir).catch(() => undefined);
      throw error;
    }
    await rm(work, { recursive: true, force: true });
    for (const change of changes) {
      if (change.after === undefined) await removeIfEmpty(root, path.dirname(path.join(root, change.path)));
    }
  } finally {
    release();
  }
  // Too late to undo: every file is in place. Stop as asked, without running what comes next.
  if (signal.received) throw new CliError('Interrupted after every file was written.', 130);
  return kept;
}
