import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../helpers.js';
import { nodeOfProject } from '../project-node.js';
import { applyTypicalEdits, type TypicalEdits } from '../typical-edits.js';
import { npmInstall, npmRun } from './project.js';
import { needsServer } from './services.js';

/**
 * Day two, installed: a project with its first day's edits (test/typical-edits.ts) grows by
 * add and remove, merged into those edits without --force, and still installs, typechecks,
 * lints and passes its own tests, the user's migration and field included.
 */
function grownProject(
  name: string,
  args: string[],
  steps: string[][],
  { env = {}, testFiles = [] }: { env?: Record<string, string>; testFiles?: string[] } = {},
) {
  const dir = path.join(scratchDir(`csb-e2e-daytwo-${name}-`), name);
  let edits: TypicalEdits | undefined;
  beforeAll(async () => {
    const created = await runCli([dir, '--yes', '--no-git', '--no-install', ...args], { all: true });
    expect(created.exitCode, created.all).toBe(0);
    edits = applyTypicalEdits(dir);
    for (const step of steps) {
      const result = await runCli([...step, '--cwd', dir], { all: true });
      expect(result.exitCode, `${step.join(' ')}:\n${result.all}`).toBe(0);
      expect(edits.missing(dir), step.join(' ')).toEqual([]);
    }
    await npmInstall(dir);
    // What add says next when a choice changes tables and drizzle-kit was not installed yet: the
    // migration for them, after the user's own. (Nothing to write is a no-op.)
    await npmRun(dir, 'db:generate');
  });

  it('keeps every edit, and passes its own typecheck, lint and tests', async () => {
    process.stderr.write(`e2e: ${name} runs on Node ${await nodeOfProject(dir)}\n`);
    expect(edits?.missing(dir)).toEqual([]);
    await npmRun(dir, 'typecheck');
    await npmRun(dir, 'lint');
    const tests = await npmRun(dir, 'test', env, testFiles);
    expect(tests).toMatch(/^\s*Tests\s+\d+ passed \(\d+\)\s*$/m);
    expect(tests).toMatch(/^\s*Test Files\s+\d+ passed \(\d+\)\s*$/m);
    // The added resource's own tests ran, and the user's field went through the items tests.
    expect(tests).toContain('test/orders.test.ts');
    expect(tests).toContain('test/items.test.ts');
  });
}

describe('the default project with the typical edits, grown and trimmed', () => {
  grownProject(
    'default-grown',
    [],
    [
      ['add', 'resource', 'orders'],
      ['add', 'monitoring=opentelemetry'],
      ['remove', 'monitoring=prometheus'],
    ],
  );
});

const postgres = await needsServer('PostgreSQL', '127.0.0.1', 5432);
const redis = await needsServer('Redis', '127.0.0.1', 6379);

describe.runIf(postgres.run && redis.run)(
  `a --db postgres --cache redis project with the typical edits, grown and trimmed${postgres.note}${redis.note}`,
  () => {
    grownProject(
      'postgres-redis-grown',
      ['--db', 'postgres', '--cache', 'redis'],
      [
        ['add', 'resource', 'orders'],
        ['add', 'auth=apikey'],
        ['add', 'monitoring=opentelemetry'],
        ['remove', 'monitoring=opentelemetry'],
      ],
      {
        env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', REDIS_URL: 'redis://127.0.0.1:6379' },
        // Its whole suite takes three minutes here; these are the tests of what the edits and the
        // steps changed (the default project above runs all of its own).
        testFiles: [
          'test/items.test.ts',
          'test/orders.test.ts',
          'test/migrations.test.ts',
          'test/config.test.ts',
          'test/api-keys.test.ts',
          'test/docs.test.ts',
          'test/health.test.ts',
          'test/redis.test.ts',
          'test/cache.test.ts',
        ],
      },
    );
  },
);
