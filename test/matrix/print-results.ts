import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers.js';

/**
 * Where the run writes its table: `matrix-results.md`, or `MATRIX_RESULTS`, so that a second run
 * (some combinations on another Node) keeps the first run's table.
 */
export const resultsFile = path.resolve(repoRoot, process.env.MATRIX_RESULTS ?? 'matrix-results.md');

/** Prints the matrix table (written by the run) after vitest's own summary. */
export function setup(): () => void {
  rmSync(resultsFile, { force: true });
  return () => {
    if (existsSync(resultsFile)) process.stdout.write(`\n${readFileSync(resultsFile, 'utf8')}`);
  };
}
