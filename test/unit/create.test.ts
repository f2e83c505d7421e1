import { readdirSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseCreateArgs } from '../../src/args.js';
import type { ChoiceKind } from '../../src/catalogue.js';
import { create, nodeStep } from '../../src/create.js';
import { CancelledError } from '../../src/errors.js';
import type { Prompter } from '../../src/prompts.js';
import { scratchDir } from '../helpers.js';

function context(prompter: Prompter) {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk) => {
    text += chunk;
  });
  return {
    ctx: { cwd: scratchDir(), env: {}, interactiveTerminal: true, stdout, stderr: new PassThrough(), prompter },
    output: () => text,
  };
}

describe('create in a terminal', () => {
  it('asks only for what the flags left open', async () => {
    const asked: string[] = [];
    const answers: Partial<Record<ChoiceKind, unknown>> = {
      auth: ['none'],
      monitoring: ['none'],
      deploy: ['none'],
      ci: 'none',
    };
    const prompter: Prompter = {
      directory: async () => {
        asked.push('directory');
        return 'shop';
      },
      choice: async (kind: ChoiceKind) => {
        asked.push(kind);
        return answers[kind] as never;
      },
    };
    const { ctx, output } = context(prompter);
    const code = await create(parseCreateArgs(['--db', 'sqlite', '--cache', 'none', '--dry-run']), ctx);
    expect(code).toBe(0);
    expect(asked).toEqual(['directory', 'auth', 'monitoring', 'deploy', 'ci']);
    expect(output()).toContain('Would create shop');
    expect(output()).toContain('monitoring=none');
  });

  it('exits 130 on a cancelled prompt and writes nothing', async () => {
    const prompter: Prompter = {
      directory: async () => 'shop',
      choice: async () => {
        throw new CancelledError();
      },
    };
    const { ctx } = context(prompter);
    await expect(create(parseCreateArgs([]), ctx)).rejects.toMatchObject({ exitCode: 130 });
    expect(readdirSync(ctx.cwd)).toEqual([]);
  });

  it('never asks with --yes', async () => {
    const prompter: Prompter = {
      directory: () => Promise.reject(new Error('asked')),
      choice: () => Promise.reject(new Error('asked')),
    };
    const { ctx, output } = context(prompter);
    expect(await create(parseCreateArgs(['--yes', '--dry-run']), ctx)).toBe(0);
    expect(output()).toContain('No prompts (--yes)');
  });
});

/** The `next` of the JSON summary a dry run prints, run by the given Node. */
async function nextSteps(flags: string[], nodeVersion = '24.11.0'): Promise<string[]> {
  const stdout = new PassThrough();
  let json = '';
  stdout.on('data', (chunk) => {
    json += chunk;
  });
  const ctx = {
    cwd: scratchDir(),
    env: {},
    interactiveTerminal: false,
    stdout,
    stderr: new PassThrough(),
    nodeVersion,
  };
  expect(await create(parseCreateArgs(['app', '--yes', '--dry-run', '--json', ...flags]), ctx)).toBe(0);
  return JSON.parse(json).next;
}

describe('the closing next steps', () => {
  it('say in one step when the Node running the tool is older than the project needs', async () => {
    const old = 'switch to Node 24 (the project needs 22.12 or later; this is Node 20.19.0)';
    expect(await nextSteps(['--no-install'], '20.19.0')).toEqual([
      'cd app',
      old,
      'npm install',
      'npm run db:migrate',
      'npm run dev',
    ]);
    // Installed by this Node: its native addon has to be built again by the new one.
    expect(await nextSteps(['--pm', 'pnpm'], '20.19.0')).toEqual([
      'cd app',
      `${old}, then rm -rf node_modules && pnpm install`,
      'pnpm db:migrate',
      'pnpm dev',
    ]);
    expect(await nextSteps(['--no-install'], '24.11.0')).toEqual([
      'cd app',
      'npm install',
      'npm run db:migrate',
      'npm run dev',
    ]);
  });

  it('take the oldest Node the project supports as new enough, and the one before it as too old', () => {
    expect(nodeStep('22.11.0', false, 'npm')).toEqual([
      'switch to Node 24 (the project needs 22.12 or later; this is Node 22.11.0)',
    ]);
    for (const version of ['22.12.0', '22.23.5', '23.0.0', '24.0.0', '26.1.0']) {
      expect(nodeStep(version, false, 'npm'), version).toEqual([]);
    }
  });

  it('start the servers compose runs for the app before its first migration', async () => {
    expect(await nextSteps(['--db', 'postgres', '--cache', 'redis', '--no-install'])).toEqual([
      'cd app',
      'npm install',
      'docker compose up -d db redis',
      'npm run db:migrate',
      'npm run dev',
    ]);
    // Only the servers the app needs: not Prometheus, Grafana or the OpenTelemetry Collector.
    expect(
      await nextSteps(['--db', 'mysql', '--cache', 'memcached', '--monitoring', 'prometheus,opentelemetry']),
    ).toEqual(['cd app', 'docker compose up -d db memcached', 'npm run db:migrate', 'npm run dev']);
    expect(await nextSteps(['--cache', 'redis'])).toEqual([
      'cd app',
      'docker compose up -d redis',
      'npm run db:migrate',
      'npm run dev',
    ]);
  });

  it('point the app at its servers through .env when there is no compose file', async () => {
    expect(await nextSteps(['--db', 'postgres', '--cache', 'redis', '--deploy', 'none'])).toEqual([
      'cd app',
      'set DATABASE_URL, REDIS_URL in .env to your servers (see .env.example)',
      'npm run db:migrate',
      'npm run dev',
    ]);
    expect(await nextSteps(['--db', 'mysql', '--cache', 'memcached', '--deploy', 'kubernetes'])).toEqual([
      'cd app',
      'set DATABASE_URL, MEMCACHED_SERVERS in .env to your servers (see .env.example)',
      'npm run db:migrate',
      'npm run dev',
    ]);
  });

  it('need no server for SQLite with the in-memory cache', async () => {
    expect(await nextSteps(['--deploy', 'none'])).toEqual(['cd app', 'npm run db:migrate', 'npm run dev']);
  });
});
