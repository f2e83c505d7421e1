import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { choices } from '../../src/catalogue.js';
import { runCli, scratchDir } from '../helpers.js';

const quiet = ['--no-install', '--no-git'];

describe('--help and --version', () => {
  it('prints help naming every choice and value, exit 0', async () => {
    const result = await runCli(['--help']);
    expect(result.exitCode).toBe(0);
    for (const [kind, spec] of Object.entries(choices)) {
      expect(result.stdout).toContain(`--${kind}`);
      for (const value of Object.keys(spec.values)) expect(result.stdout).toContain(value);
    }
  });

  it('prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const result = await runCli(['--version']);
    expect(result).toMatchObject({ exitCode: 0, stdout: pkg.version });
  });
});

describe('usage errors exit 2 and write nothing', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown flag', ['app', '--databse', 'sqlite'], /Unknown option '--databse'/],
    ['a value out of range', ['app', '--db', 'oracle'], /Invalid --db value "oracle": valid values are sqlite/],
    ['none combined with a value', ['app', '--monitoring', 'prometheus,none'], /none cannot be combined/],
    ['auth none combined with a method', ['app', '--auth', 'none,apikey'], /--auth none cannot be combined/],
    [
      'jwt with oauth2 (two kinds of bearer token)',
      ['app', '--yes', '--auth', 'jwt,oauth2'],
      /--auth jwt,oauth2: both take an Authorization: Bearer token[\s\S]*choose one of them/,
    ],
    ['an invalid package name', ['My App'], /not a valid npm package name[\s\S]*Try: create-sound-backend my-app/],
    ['a missing preset', ['app', '--preset', 'nope.json'], /Cannot read preset nope.json: ENOENT/],
    [
      'Kubernetes with SQLite',
      ['app', '--yes', '--deploy', 'docker,kubernetes'],
      /--deploy kubernetes needs a database every replica shares, and sqlite is a file inside one pod/,
    ],
  ];
  for (const [what, args, message] of cases) {
    it(`refuses ${what}`, async () => {
      const cwd = scratchDir();
      const result = await runCli([...args, ...quiet], { cwd });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(readdirSync(cwd)).toEqual([]);
    });
  }

  it('refuses a preset with bad JSON or unknown keys', async () => {
    const cwd = scratchDir();
    writeFileSync(path.join(cwd, 'bad.json'), '{"db": "sqlite",');
    writeFileSync(path.join(cwd, 'odd.json'), '{"database": "sqlite"}');
    const bad = await runCli(['app', '--preset', 'bad.json', ...quiet], { cwd });
    const odd = await runCli(['app', '--preset', 'odd.json', ...quiet], { cwd });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('not valid JSON');
    expect(odd.exitCode).toBe(2);
    expect(odd.stderr).toContain('unknown key database');
    expect(readdirSync(cwd).sort()).toEqual(['bad.json', 'odd.json']);
  });

  it('refuses a non-empty target without --force and leaves it as it was', async () => {
    const cwd = scratchDir();
    mkdirSync(path.join(cwd, 'app'));
    writeFileSync(path.join(cwd, 'app/notes.txt'), 'mine');
    const result = await runCli(['app', ...quiet], { cwd });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('is not empty');
    expect(result.stderr).toContain('--force');
    expect(readdirSync(path.join(cwd, 'app'))).toEqual(['notes.txt']);
  });

  it('with --force, refuses to overwrite a file the user made and writes nothing', async () => {
    const cwd = scratchDir();
    mkdirSync(path.join(cwd, 'app'));
    writeFileSync(path.join(cwd, 'app/README.md'), 'my own readme');
    const result = await runCli(['app', '--force', ...quiet], { cwd });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/would overwrite[\s\S]*README\.md/);
    expect(readdirSync(path.join(cwd, 'app'))).toEqual(['README.md']);
    expect(readFileSync(path.join(cwd, 'app/README.md'), 'utf8')).toBe('my own readme');
  });

  it('refuses a target that is a file', async () => {
    const cwd = scratchDir();
    writeFileSync(path.join(cwd, 'app'), 'a file');
    const result = await runCli(['app', ...quiet], { cwd });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('is not a directory');
  });
});

describe('without a terminal', () => {
  it('never prompts: takes the defaults and says which', async () => {
    const cwd = scratchDir();
    const result = await runCli(['--dry-run'], { cwd });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('No prompts (no terminal): using defaults dir=my-api db=sqlite');
    expect(existsSync(path.join(cwd, 'my-api'))).toBe(false);
  });

  it('says CI when CI=true, even in a pipeline with a terminal-less stdin', async () => {
    const result = await runCli(['--dry-run'], { cwd: scratchDir(), env: { CI: 'true' } });
    expect(result.stdout).toContain('No prompts (CI)');
  });
});
