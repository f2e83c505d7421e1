import { readdirSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseCreateArgs } from '../../src/args.js';
import type { ChoiceKind } from '../../src/catalogue.js';
import { create } from '../../src/create.js';
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
