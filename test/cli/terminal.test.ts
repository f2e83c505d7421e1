import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cliPath, scratchDir } from '../helpers.js';
import { create, snapshotOf } from './projects.js';

const enter = '\r';

/** A key to type once the screen shows `when` (compared without spaces or colours). */
interface Keystroke {
  when: string;
  key: string;
}

const compact = (screen: string) => stripVTControlCharacters(screen).replace(/\s+/g, '');

/**
 * Runs the command in a real pseudo-terminal (util-linux `script`) and types
 * each key once its prompt is on screen, so @clack/prompts sees a person.
 */
async function inTerminal(args: string[], keystrokes: Keystroke[], cwd: string) {
  // A pseudo-terminal starts with no width; clack would wrap every character.
  const command = `stty cols 120 rows 40; ${['node', cliPath, ...args].map((part) => `'${part}'`).join(' ')}`;
  const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
    cwd,
    env: { ...process.env, CI: '', TERM: 'xterm' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  let screen = '';
  let typed = 0;
  let seenUpTo = 0;
  child.stdout.on('data', (chunk) => {
    screen += chunk;
    const next = keystrokes[typed];
    if (next === undefined) return;
    const position = compact(screen).indexOf(compact(next.when), seenUpTo);
    if (position >= 0) {
      seenUpTo = position + compact(next.when).length;
      typed += 1;
      // The frame is drawn a moment before the prompt starts reading keys.
      setTimeout(() => child.stdin.write(next.key), 150);
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const [code] = await exited;
  clearTimeout(timer);
  return { code: code as number, screen, text: compact(screen), typed };
}

describe('in a terminal', () => {
  it('asks for the directory and each open choice, then creates the project', async () => {
    const cwd = scratchDir();
    const { code, screen, text } = await inTerminal(
      ['--no-install', '--no-git', '--db', 'sqlite'],
      [
        'Where should the project go?',
        'Authentication',
        'Cache',
        'Monitoring',
        'Deployment',
        'Continuous integration',
      ].map((when) => ({ when, key: enter })),
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
    const { code, screen, text } = await inTerminal(
      ['--no-install', '--no-git'],
      [
        { when: 'Where should the project go?', key: enter },
        { when: 'Database', key: '\u0003' },
      ],
      cwd,
    );
    expect(code, screen).toBe(130);
    expect(text).toContain('Cancelled:nothingwaswritten.');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('exits 130 on Esc as well', async () => {
    const cwd = scratchDir();
    const { code } = await inTerminal(['app', '--no-install', '--no-git'], [{ when: 'Database', key: '\u001b' }], cwd);
    expect(code).toBe(130);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('asks add resource <name> for its fields, and records them', async () => {
    const dir = await create([]);
    const down = '\u001b[B';
    const { code, screen } = await inTerminal(
      ['add', 'resource', 'orders', '--cwd', dir],
      [
        { when: 'First field of orders', key: `total${enter}` },
        // string, text, integer, bigint, decimal
        { when: 'Type of total', key: `${down.repeat(4)}${enter}` },
        { when: 'Digits in all', key: `12${enter}` },
        { when: 'Digits after the point', key: enter },
        { when: 'May total be left empty', key: enter },
        { when: 'Must total be unique', key: enter },
        { when: 'Next field of orders', key: enter },
      ],
      dir,
    );
    expect(code, screen).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'sound-backend.json'), 'utf8'));
    expect(manifest.resources[0].fields).toEqual([{ name: 'total', type: 'decimal', precision: 12, scale: 2 }]);
  });

  it('exits 130 on Ctrl-C at a field prompt of add resource, and changes nothing', async () => {
    const dir = await create([]);
    const before = snapshotOf(dir);
    const { code, screen } = await inTerminal(
      ['add', 'resource', 'orders', '--cwd', dir],
      [
        { when: 'First field of orders', key: `total${enter}` },
        { when: 'Type of total', key: '\u0003' },
      ],
      dir,
    );
    expect(code, screen).toBe(130);
    expect(snapshotOf(dir)).toEqual(before);
  });
});
