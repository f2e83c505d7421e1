import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../helpers.js';
import { npmRun } from './project.js';

// Every optional part switched off: what is left must still build, lint and pass its tests.
describe('create-sound-backend with every optional part set to none', () => {
  const cwd = scratchDir('csb-e2e-min-');
  const dir = path.join(cwd, 'bare-api');

  beforeAll(async () => {
    const result = await runCli(
      [
        'bare-api',
        '--yes',
        '--no-git',
        '--auth',
        'none',
        '--cache',
        'none',
        '--monitoring',
        'none',
        '--deploy',
        'none',
        '--ci',
        'none',
      ],
      { cwd, all: true },
    );
    expect(result.exitCode, result.all).toBe(0);
  });

  it('passes its own typecheck, lint, tests and build', async () => {
    await npmRun(dir, 'typecheck');
    await npmRun(dir, 'lint');
    const tests = await npmRun(dir, 'test');
    expect(tests).toMatch(/Tests\s+\d+ passed/);
    await npmRun(dir, 'build');
  });
});
