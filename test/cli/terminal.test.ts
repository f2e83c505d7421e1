import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cliPath, scratchDir } from '../helpers.js';

const enter = '\r';

/**
 * Runs the command in a real pseudo-terminal (util-linux `script`), typing
 * `keys` one at a time with a pause, so @clack/prompts sees a person.
 */
async function inTerminal(args: string[], keys: string[], cwd: string) {
  // A pseudo-terminal starts with no width; clack would wrap every character.
  const command = `stty cols 120 rows 40; ${['node', cliPath, ...args].map((part) => `'${part}'`).join(' ')}`;
  const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
    cwd,
    env: { ...process.env, CI: '', TERM: 'xterm' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  child.stdout.on('data', (chunk) => {
    screen += chunk;
  });
  for (const key of keys) {
    await new Promise((resolve) => setTimeout(resolve, 400));
    child.stdin.write(key);
  }
  const [code] = await once(child, 'exit');
  // clack redraws as it goes: drop escape sequences and spacing to read the words.
  const text = stripVTControlCharacters(screen).replace(/\s+/g, '');
  return { code: code as number, screen, text };
}

describe('in a terminal', () => {
  it('asks for the directory and each open choice, then creates the project', async () => {
    const cwd = scratchDir();
    const { code, screen, text } = await inTerminal(
      ['--no-install', '--no-git', '--db', 'sqlite'],
      [enter, enter, enter, enter, enter, enter],
      cwd,
    );
    expect(code, screen).toBe(0);
    expect(text).toContain('Whereshouldtheprojectgo?');
    expect(text).toContain('Monitoring');
    expect(text).not.toContain('Database');
    expect(readdirSync(cwd)).toEqual(['my-api']);
    const manifest = JSON.parse(readFileSync(path.join(cwd, 'my-api/sound-backend.json'), 'utf8'));
    expect(manifest.options).toMatchObject({ db: 'sqlite', monitoring: ['prometheus'], ci: 'github' });
  });

  it('exits 130 on Ctrl-C at a prompt and leaves nothing behind', async () => {
    const cwd = scratchDir();
    const { code, screen, text } = await inTerminal(['--no-install', '--no-git'], [enter, '\u0003'], cwd);
    expect(code, screen).toBe(130);
    expect(text).toContain('Cancelled:nothingwaswritten.');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('exits 130 on Esc as well', async () => {
    const cwd = scratchDir();
    const { code } = await inTerminal(['app', '--no-install', '--no-git'], ['\u001b'], cwd);
    expect(code).toBe(130);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
