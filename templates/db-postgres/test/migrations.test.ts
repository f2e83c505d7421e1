import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('migrations', () => {
  it('match src/db/schema.ts: drizzle-kit generate finds nothing to add', () => {
    // A copy, so that a drift shows up as a new file there instead of changing drizzle/.
    const out = mkdtempSync(join(tmpdir(), 'drizzle-drift-'));
    try {
      cpSync(join(root, 'drizzle'), out, { recursive: true });
      const before = readdirSync(out, { recursive: true }).sort();
      const result = spawnSync(
        process.execPath,
        [
          join(root, 'node_modules/drizzle-kit/bin.cjs'),
          'generate',
          '--dialect=postgresql',
          '--schema=./src/db/schema.ts',
          // drizzle-kit reads `--out` relative to the working directory, even an absolute one.
          `--out=${relative(root, out)}`,
        ],
        { cwd: root, encoding: 'utf8' },
      );
      const output = `${result.stdout}${result.stderr}`;
      expect(result.status, output).toBe(0);
      expect(output).toContain('No schema changes');
      expect(readdirSync(out, { recursive: true }).sort()).toEqual(before);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
