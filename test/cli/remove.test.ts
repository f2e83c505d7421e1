import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers.js';
import { create, expectHistoryGrown, expectSameProject, isHistory, snapshotOf } from './projects.js';

async function remove(dir: string, args: string[]) {
  return runCli(['remove', ...args, '--cwd', dir]);
}

describe('remove <kind=value> gives the project create would have made without it', () => {
  it.each([
    { from: ['--monitoring', 'prometheus,elk'], remove: ['monitoring=elk'], to: ['--monitoring', 'prometheus'] },
    // A change of tables: the migrations stay as they were, and one derived is added after them.
    {
      from: ['--auth', 'jwt,apikey'],
      remove: ['auth=apikey'],
      to: ['--auth', 'jwt'],
      history: 'kept' as const,
      tag: '0001_remove_auth_apikey',
    },
    {
      from: ['--auth', 'apikey'],
      remove: ['auth=apikey'],
      to: ['--auth', 'none'],
      history: 'kept' as const,
      tag: '0001_remove_auth_apikey',
    },
    { from: ['--cache', 'redis'], remove: ['cache'], to: ['--cache', 'none'] },
    {
      from: ['--db', 'postgres', '--deploy', 'docker,kubernetes'],
      remove: ['deploy=kubernetes'],
      to: ['--db', 'postgres', '--deploy', 'docker'],
    },
    { from: ['--monitoring', 'prometheus,opentelemetry'], remove: ['opentelemetry'], to: [] },
  ])('$from - remove $remove = create $to', async (example) => {
    const grown = await create(example.from);
    const history = Object.entries(snapshotOf(grown)).filter(([file]) => isHistory(file));
    const result = await remove(grown, example.remove);
    expect(result.exitCode, result.stderr).toBe(0);
    expectSameProject(grown, await create(example.to), example);
    const after = Object.entries(snapshotOf(grown)).filter(([file]) => isHistory(file));
    if (example.tag === undefined) expect(after).toEqual(history);
    else expectHistoryGrown(Object.fromEntries(history), Object.fromEntries(after), example.tag);
  });

  it('keeps the lines the user added to a file it changes, and deletes only files it made', async () => {
    const dir = await create(['--monitoring', 'prometheus,elk']);
    const app = path.join(dir, 'src/app.ts');
    writeFileSync(app, `${readFileSync(app, 'utf8')}\n// Registered by hand: our own audit plugin.\n`);
    const filebeat = path.join(dir, 'observability/filebeat/filebeat.yml');
    writeFileSync(filebeat, `${readFileSync(filebeat, 'utf8')}# tuned by us\n`);
    const result = await remove(dir, ['monitoring=elk']);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/observability\/filebeat\/filebeat\.yml: changed by you, and no longer part/);
    writeFileSync(filebeat, readFileSync(filebeat, 'utf8').replace('# tuned by us\n', ''));
    const again = await remove(dir, ['monitoring=elk']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(readFileSync(app, 'utf8')).toContain('// Registered by hand: our own audit plugin.');
    expect(again.stdout).toMatch(/delete observability\/filebeat\/filebeat\.yml/);
  });

  it('twice changes nothing the second time, and says so', async () => {
    const dir = await create(['--monitoring', 'prometheus,elk']);
    expect((await remove(dir, ['monitoring=elk'])).exitCode).toBe(0);
    const before = snapshotOf(dir);
    const second = await remove(dir, ['monitoring=elk']);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/nothing to do/);
    expect(snapshotOf(dir)).toEqual(before);
  });

  it('refuses what cannot be removed with exit 2 and one line, and writes nothing', async () => {
    const dir = await create(['--db', 'postgres', '--deploy', 'docker,kubernetes']);
    const before = snapshotOf(dir);
    const cases: [string[], RegExp][] = [
      [['db'], /Every project has a db: switch it with add db=<value>/],
      [['cache=mongo'], /Invalid cache value "mongo".*valid values are memory, redis, memcached/],
      [['colour=red'], /Unknown kind "colour"/],
      [[], /Nothing to remove/],
      [['cache', '--merge', '--force'], /--merge and --force disagree/],
    ];
    for (const [args, message] of cases) {
      const result = await remove(dir, args);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
    expect(snapshotOf(dir)).toEqual(before);
  });

  it('--dry-run prints the diff and writes nothing', async () => {
    const dir = await create(['--monitoring', 'prometheus,elk']);
    const before = snapshotOf(dir);
    const result = await remove(dir, ['monitoring=elk', '--dry-run']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^--- a\/observability\/filebeat\/filebeat\.yml\n\+\+\+ \/dev\/null/m);
    expect(result.stdout).toMatch(/Dry run: nothing was written\./);
    expect(snapshotOf(dir)).toEqual(before);
  });
});
