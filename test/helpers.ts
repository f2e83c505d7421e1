import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type Options } from 'execa';
import { pauseMidWriteVariable } from '../src/apply.js';
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

/**
 * Ctrl-C while files are being written: `create` and `add` write through the same all-or-nothing
 * apply, which undoes what it placed and exits 130. The test hook stops the command after its
 * first file is in place, so the signal lands in the middle of the write, every time.
 */
export async function interruptMidWrite(args: string[], cwd: string) {
  const child = execa(process.execPath, [cliPath, ...args], {
    cwd,
    reject: false,
    stdin: 'ignore',
    env: { CI: '', npm_config_user_agent: '', [pauseMidWriteVariable]: '1' },
  });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('paused mid-write')) resolve();
    });
    child.on('exit', () => reject(new Error(`exited before it paused:\n${stderr}`)));
  });
  child.kill('SIGINT');
  const result = await child;
  return { exitCode: result.exitCode, stderr: `${stderr}${result.stderr}` };
}

/**
 * A migration of the user's own after the initial one, as `db:generate` writes it: a column of
 * items, its snapshot chained to the initial one, and its journal entry.
 */
export function ownMigration(dir: string): Record<string, string> {
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
  const initial = JSON.parse(read('drizzle/meta/0000_snapshot.json'));
  const snapshot = structuredClone(initial);
  snapshot.id = '11111111-1111-4111-8111-111111111111';
  snapshot.prevId = initial.id;
  snapshot.tables.items.columns.price = {
    name: 'price',
    type: 'integer',
    primaryKey: false,
    notNull: false,
    autoincrement: false,
  };
  const journal = JSON.parse(read('drizzle/meta/_journal.json'));
  journal.entries.push({ idx: 1, version: '6', when: 1800000000000, tag: '0001_price', breakpoints: true });
  return {
    'drizzle/0001_price.sql': 'ALTER TABLE `items` ADD `price` integer;',
    'drizzle/meta/0001_snapshot.json': JSON.stringify(snapshot, null, 2),
    'drizzle/meta/_journal.json': JSON.stringify(journal, null, 2),
  };
}
