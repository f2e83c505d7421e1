import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers.js';

const results = path.join(repoRoot, 'matrix-results.md');

/** Prints the matrix table (written by the run) after vitest's own summary. */
export function setup(): () => void {
  rmSync(results, { force: true });
  return () => {
    if (existsSync(results)) process.stdout.write(`\n${readFileSync(results, 'utf8')}`);
  };
}
