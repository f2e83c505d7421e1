import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { listFiles, runCli, scratchDir } from '../helpers.js';

/** Flags that keep `create` to writing files. */
export const quiet = ['--no-install', '--no-git', '--yes'];

/** A new project named `app` in a folder of its own. */
export async function create(args: string[]): Promise<string> {
  const cwd = scratchDir('csb-add-');
  const result = await runCli(['app', ...args, ...quiet], { cwd });
  expect(result.exitCode, result.stderr).toBe(0);
  return path.join(cwd, 'app');
}

/**
 * Every file and its content; the manifest without its time stamp, resources' `when` as given.
 * Not `.env`: create writes it once with a random secret, and add leaves it alone.
 */
export function snapshotOf(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir)
      .filter((file) => file !== '.env')
      .map((file) => {
        const text = readFileSync(path.join(dir, file), 'utf8');
        if (file !== 'sound-backend.json') return [file, text];
        const { createdAt: _, ...manifest } = JSON.parse(text);
        return [file, JSON.stringify(manifest, null, 2)];
      }),
  );
}

/** drizzle/'s SQL, snapshots and journal: the migration history, which add never rewrites. */
export const isHistory = (file: string) => /^drizzle\/(?:[^/]+\.sql|meta\/[^/]+\.json)$/.test(file);

/** The project but its migration history, and the manifest but the history's hashes. */
function withoutHistory(files: Record<string, string>): Record<string, string> {
  const manifest = JSON.parse(files['sound-backend.json'] ?? '{}');
  manifest.files = Object.fromEntries(Object.entries(manifest.files).filter(([file]) => !isHistory(file)));
  return Object.fromEntries(
    Object.entries({ ...files, 'sound-backend.json': JSON.stringify(manifest, null, 2) }).filter(
      ([file]) => !isHistory(file),
    ),
  );
}

/**
 * The same files with the same content, but for `.env` and the manifest's time stamp; with
 * `history: 'kept'` (a change of tables, whose migrations stay as they were), but for the history.
 */
export function expectSameProject(actual: string, expected: string, options: { history?: 'kept' } = {}) {
  const kept = options.history === 'kept';
  const a = kept ? withoutHistory(snapshotOf(actual)) : snapshotOf(actual);
  const b = kept ? withoutHistory(snapshotOf(expected)) : snapshotOf(expected);
  expect(Object.keys(a)).toEqual(Object.keys(b));
  for (const file of Object.keys(b)) expect(a[file], file).toBe(b[file]);
}

/**
 * After a change of tables: every migration of `before` as it was, the journal's entries kept and
 * one added, and that entry's SQL and snapshot (derived: the project has no node_modules).
 */
export function expectHistoryGrown(before: Record<string, string>, after: Record<string, string>, tag: string) {
  const journal = 'drizzle/meta/_journal.json';
  for (const [file, text] of Object.entries(before)) if (file !== journal) expect(after[file], file).toBe(text);
  const tags = (text: string | undefined) =>
    (JSON.parse(text ?? '{}').entries as { tag: string }[]).map((entry) => entry.tag);
  expect(tags(after[journal])).toEqual([...tags(before[journal]), tag]);
  const number = tag.slice(0, tag.indexOf('_'));
  expect(Object.keys(after).sort()).toEqual(
    [...Object.keys(before), `drizzle/${tag}.sql`, `drizzle/meta/${number}_snapshot.json`].sort(),
  );
}
