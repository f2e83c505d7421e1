import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { interruptMidWrite, listFiles, runCli, scratchDir } from '../helpers.js';

describe('Ctrl-C in the middle of writing', () => {
  it('create leaves nothing behind, not even the folders it made, and exits 130', async () => {
    const cwd = scratchDir('csb-interrupt-');
    const result = await interruptMidWrite(['apps/shop', '--yes', '--no-install', '--no-git'], cwd);
    expect(result.exitCode, result.stderr).toBe(130);
    expect(result.stderr).toContain('Cancelled: nothing was written.');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('create --force into a folder of the user leaves only what was there', async () => {
    const cwd = scratchDir('csb-interrupt-');
    const dir = path.join(cwd, 'shop');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const result = await interruptMidWrite(['shop', '--yes', '--no-install', '--no-git', '--force'], cwd);
    expect(result.exitCode, result.stderr).toBe(130);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('add leaves the project as it was and exits 130', async () => {
    const cwd = scratchDir('csb-interrupt-');
    const created = await runCli(['shop', '--yes', '--no-install', '--no-git', '--cache', 'none'], { cwd });
    expect(created.exitCode, created.stderr).toBe(0);
    const dir = path.join(cwd, 'shop');
    const before = new Map(listFiles(dir).map((file) => [file, readFileSync(path.join(dir, file), 'utf8')]));
    const result = await interruptMidWrite(['add', 'cache=redis'], dir);
    expect(result.exitCode, result.stderr).toBe(130);
    expect(listFiles(dir)).toEqual([...before.keys()]);
    for (const [file, content] of before) expect(readFileSync(path.join(dir, file), 'utf8'), file).toBe(content);
    expect(readdirSync(dir).filter((entry) => entry.startsWith('.sound-backend-'))).toEqual([]);
  });
});
