import { chmodSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type Options } from 'execa';
import type { RenderedProject } from '../src/render.js';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const cliPath = path.join(repoRoot, 'bin/create-sound-backend.js');

/** A fresh empty folder for one test. */
export function scratchDir(prefix = 'csb-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export interface CliResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved, with `all: true`. */
  all?: string;
}

/**
 * Runs the built command as a script would: no terminal, never throws on a non-zero exit. It runs
 * on the Node running the tests, whatever `node` is first on the PATH it is given.
 */
export async function runCli(args: string[], options: Options = {}): Promise<CliResult> {
  const result = await execa(process.execPath, [cliPath, ...args], {
    reject: false,
    stdin: 'ignore',
    ...options,
    env: { CI: '', npm_config_user_agent: '', ...options.env },
  });
  return result as unknown as CliResult;
}

/** Every file below `dir`, relative, sorted (skipping node_modules and .git). */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .filter((file) => !file.startsWith('node_modules/') && !file.startsWith('.git/'))
    .sort();
}

/** Writes a project rendered in memory into `dir`, to read or diff it there. */
export function writeRendered(dir: string, files: RenderedProject): void {
  for (const [file, { content, mode }] of files) {
    const target = path.join(dir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
    if (mode !== undefined) chmodSync(target, mode);
  }
}
