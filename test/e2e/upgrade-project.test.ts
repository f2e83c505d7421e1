import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../helpers.js';
import { buildOldVersion, oldBin, templateLine } from '../old-version.js';
import { projectEnv } from '../project-node.js';
import { applyTypicalEdits, type TypicalEdits } from '../typical-edits.js';
import { npmInstall, npmRun } from './project.js';
import { needsServer } from './services.js';

const postgres = await needsServer('PostgreSQL', '127.0.0.1', 5432);
const redis = await needsServer('Redis', '127.0.0.1', 6379);

/**
 * A project an older version made, with a user's first-day edits (test/typical-edits.ts),
 * upgraded to this version: it keeps every edit and still installs, typechecks, lints, passes its
 * own tests (the user's field and migration included) and builds.
 */
function upgradedProject(name: string, args: string[], resources: string[], env: Record<string, string> = {}) {
  const dir = path.join(scratchDir(`csb-e2e-${name}-`), name);
  let edits: TypicalEdits | undefined;
  beforeAll(async () => {
    const old = buildOldVersion();
    const run = (argv: string[]) =>
      execa(process.execPath, [oldBin(old), ...argv], { reject: false, all: true, env: projectEnv() });
    const created = await run([dir, '--yes', '--no-git', '--no-install', ...args]);
    expect(created.exitCode, created.all).toBe(0);
    // As on day two: the edits first (a migration of the user's own among them), then resources.
    edits = applyTypicalEdits(dir);
    for (const resource of resources) {
      const added = await run(['add', 'resource', resource, '--cwd', dir]);
      expect(added.exitCode, added.all).toBe(0);
    }
    const upgraded = await runCli(['upgrade', '--from', old, '--cwd', dir], { all: true });
    expect(upgraded.exitCode, upgraded.all).toBe(0);
    await npmInstall(dir);
  });

  it('has the new template line and every edit', () => {
    expect(readFileSync(path.join(dir, 'src/app.ts'), 'utf8')).toContain(templateLine.now);
    expect(edits?.missing(dir)).toEqual([]);
  });

  it('passes its own typecheck, lint, tests and build', async () => {
    await npmRun(dir, 'typecheck');
    await npmRun(dir, 'lint');
    const tests = await npmRun(dir, 'test', env);
    expect(tests).toMatch(/^\s*Tests\s+\d+ passed \(\d+\)\s*$/m);
    for (const resource of resources) expect(tests).toContain(`test/${resource}.test.ts`);
    expect(tests).toContain('test/items.test.ts');
    await npmRun(dir, 'build');
  });
}

describe('upgrade of the default project with typical edits', () => {
  upgradedProject('upgraded-api', [], []);
});

describe.runIf(postgres.run && redis.run)(
  `upgrade of a PostgreSQL + Redis project${postgres.note}${redis.note}`,
  () => {
    upgradedProject('upgraded-pg-api', ['--db', 'postgres', '--cache', 'redis'], ['orders'], {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
  },
);
