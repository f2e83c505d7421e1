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

/** The same files with the same content, but for `.env` and the manifest's time stamp. */
export function expectSameProject(actual: string, expected: string) {
  const a = snapshotOf(actual);
  const b = snapshotOf(expected);
  expect(Object.keys(a)).toEqual(Object.keys(b));
  for (const file of Object.keys(b)) expect(a[file], file).toBe(b[file]);
}
