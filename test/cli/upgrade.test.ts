import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { withDefaults } from '../../src/options.js';
import { planProject } from '../../src/plan.js';
import { renderProject } from '../../src/render.js';
import { renderOldVersion } from '../../src/upgrade/old-render.js';
import { cliPath, interruptMidWrite, listFiles, repoRoot, runCli, scratchDir } from '../helpers.js';
import {
  buildOldVersion,
  makeUserEdits,
  oldBin,
  oldVersion,
  replaceIn,
  templateLine,
  userEdits,
} from '../old-version.js';
import { applyTypicalEdits } from '../typical-edits.js';

const quiet = ['--no-install', '--no-git', '--yes'];
const current = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version as string;

/** A new project named `app`, made by the CLI at `bin`. */
async function create(bin: string, args: string[] = []): Promise<string> {
  const cwd = scratchDir('csb-upgrade-');
  const result = await execa(process.execPath, [bin, 'app', ...args, ...quiet], {
    cwd,
    reject: false,
    stdin: 'ignore',
    env: { CI: '', npm_config_user_agent: '' },
  });
  expect(result.exitCode, result.stderr).toBe(0);
  return path.join(cwd, 'app');
}

const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');
const manifestOf = (dir: string) => JSON.parse(read(dir, 'sound-backend.json'));

/** Every file but `.env` (a random secret), by path. */
function snapshotOf(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir)
      .filter((file) => file !== '.env')
      .map((file) => [file, read(dir, file)]),
  );
}

const upgrade = (dir: string, args: string[]) => runCli(['upgrade', ...args, '--cwd', dir]);

let old: string;
beforeAll(() => {
  old = buildOldVersion();
});

describe("the recorded version's render", () => {
  it('is what that version renders in memory for the recorded choices and resources', async () => {
    // This build as its own "old version": its command's files must be its renderer's.
    const stack = withDefaults({ db: 'postgres', auth: ['jwt', 'apikey'], cache: 'redis' });
    const input = {
      name: 'shop',
      stack,
      pm: 'pnpm' as const,
      // Two: the second's snapshot id chains from the first's, on disk as in memory.
      resources: [
        { name: 'orders', createdAt: 1_800_000_000_000 },
        { name: 'order-lines', createdAt: 1_800_000_001_000 },
      ],
    };
    const files = await renderOldVersion(
      { version: current, name: input.name, options: { ...stack, pm: input.pm }, resources: input.resources },
      { from: repoRoot, cwd: repoRoot },
    );
    const expected = await renderProject(planProject(input, current));
    expect([...files.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [file, { content }] of expected)
      expect(files.get(file)?.toString('utf8'), file).toBe(content.toString('utf8'));
  });
});

describe('upgrade brings a newer version in and keeps your edits', () => {
  it('merges the template change around the edits of a typical project', async () => {
    const dir = await create(oldBin(old));
    expect(read(dir, 'src/app.ts')).toContain(templateLine.old);
    makeUserEdits(dir);

    const result = await upgrade(dir, ['--from', old]);
    expect(result.exitCode, result.stderr).toBe(0);
    const app = read(dir, 'src/app.ts');
    expect(app).toContain(templateLine.now);
    expect(app).not.toContain(templateLine.old);
    expect(app).toContain(userEdits.appLine);
    expect(read(dir, 'README.md')).toContain(userEdits.readme);
    expect(read(dir, '.env.example')).toContain(userEdits.variable);
    const pkg = JSON.parse(read(dir, 'package.json'));
    expect(pkg.dependencies['left-pad']).toBe('^1.3.0');
    expect(pkg.scripts.generate).toContain(`create-sound-backend@${current}`);
    expect(manifestOf(dir).version).toBe(current);
    expect(result.stdout).toContain(`${oldVersion} → ${current}`);

    // Every other file is what this version creates.
    const fresh = snapshotOf(await create(cliPath));
    const upgraded = snapshotOf(dir);
    expect(Object.keys(upgraded)).toEqual(Object.keys(fresh));
    for (const file of Object.keys(fresh)) {
      if (['src/app.ts', 'README.md', 'package.json', '.env.example', 'sound-backend.json'].includes(file)) continue;
      expect(upgraded[file], file).toBe(fresh[file]);
    }
  });

  it('takes an npm pack tarball of the old version', async () => {
    const packs = scratchDir('csb-packs-');
    const packed = await execa('npm', ['pack', '--ignore-scripts', '--pack-destination', packs, '--json'], {
      cwd: old,
    });
    const tarball = path.join(packs, JSON.parse(packed.stdout)[0].filename);
    const dir = await create(oldBin(old));
    makeUserEdits(dir);
    const result = await upgrade(dir, ['--from', tarball]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(read(dir, 'src/app.ts')).toContain(templateLine.now);
    expect(read(dir, 'src/app.ts')).toContain(userEdits.appLine);
    expect(manifestOf(dir).version).toBe(current);
  });

  it('renders the recorded resources too, and changes nothing the second time', async () => {
    const dir = await create(oldBin(old), ['--db', 'postgres', '--cache', 'redis']);
    const added = await execa(process.execPath, [oldBin(old), 'add', 'resource', 'orders', '--cwd', dir], {
      reject: false,
    });
    expect(added.exitCode, added.stderr).toBe(0);
    makeUserEdits(dir);
    const first = await upgrade(dir, ['--from', old]);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(read(dir, 'src/modules/orders/routes.ts')).toBeTruthy();
    const after = snapshotOf(dir);

    const second = await upgrade(dir, ['--from', old]);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/up to date/);
    expect(snapshotOf(dir)).toEqual(after);
  });

  it('says what changed in dependencies, migrations and variables, and what to run', async () => {
    // An old version with an older range of a dependency, another name for a variable and
    // other SQL in its first migration.
    const older = buildOldVersion('0.0.2');
    const dist = path.join(older, 'dist');
    const generators = readdirSync(dist)
      .map((file) => path.join(dist, file))
      .find((file) => readFileSync(file, 'utf8').includes('name: "BODY_LIMIT"'));
    if (generators === undefined) throw new Error('no built file declares BODY_LIMIT');
    replaceIn(generators, '"@fastify/cors": "^11.4.3"', '"@fastify/cors": "^11.0.0"');
    replaceIn(generators, 'name: "BODY_LIMIT"', 'name: "MAX_BODY_BYTES"');
    const templates = path.join(dist, 'templates.js');
    const [head = '', sqlite = ''] = readFileSync(templates, 'utf8').split('"db-sqlite/drizzle/0000_initial.sql.hbs"');
    writeFileSync(
      templates,
      `${head}"db-sqlite/drizzle/0000_initial.sql.hbs"${sqlite.replace('CREATE TABLE', 'CREATE TABLE IF NOT EXISTS')}`,
    );
    const dir = await create(oldBin(older));
    const result = await upgrade(dir, ['--from', older]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('Also changed:\n  dependencies: @fastify/cors ^11.0.0 → ^11.4.3\n');
    expect(result.stdout).toContain('  environment variables: added BODY_LIMIT; removed MAX_BODY_BYTES\n');
    // A migration already written is history (src/migrations.ts): it stays, and the next steps
    // write and apply the difference.
    expect(read(dir, 'drizzle/0000_initial.sql')).toContain('CREATE TABLE IF NOT EXISTS');
    expect(result.stdout).toMatch(
      /Next:\n {2}npm install\n {2}set BODY_LIMIT in \.env \(see \.env\.example\)\n(.*\n)* {2}npm run db:migrate\n/,
    );
    expect(read(dir, '.env.example')).toContain('BODY_LIMIT=');
    expect(read(dir, '.env.example')).not.toContain('MAX_BODY_BYTES');
  });
});

describe('upgrade of a project with the typical first-day edits (test/typical-edits.ts)', () => {
  it.each([
    { name: 'the default project', args: [], resources: [] },
    {
      name: 'a PostgreSQL + Redis project with a resource',
      args: ['--db', 'postgres', '--cache', 'redis'],
      resources: ['orders'],
    },
  ])(
    '$name: the template change arrives, no edit is lost, a second run changes nothing',
    async ({ args, resources }) => {
      const dir = await create(oldBin(old), args);
      // As on day two: the edits first (a migration of the user's own among them), then a resource.
      const edits = applyTypicalEdits(dir);
      for (const resource of resources) {
        const added = await execa(process.execPath, [oldBin(old), 'add', 'resource', resource, '--cwd', dir], {
          reject: false,
        });
        expect(added.exitCode, added.stderr).toBe(0);
      }
      const result = await upgrade(dir, ['--from', old]);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(read(dir, 'src/app.ts')).toContain(templateLine.now);
      expect(edits.missing(dir)).toEqual([]);
      expect(manifestOf(dir).version).toBe(current);
      const after = snapshotOf(dir);
      expect((await upgrade(dir, ['--from', old])).exitCode).toBe(0);
      expect(snapshotOf(dir)).toEqual(after);
    },
  );
});

describe('upgrade --dry-run and --help', () => {
  it('--dry-run prints the merged change as a diff and writes nothing', async () => {
    const dir = await create(oldBin(old));
    makeUserEdits(dir);
    const before = snapshotOf(dir);
    const result = await upgrade(dir, ['--from', old, '--dry-run']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`upgrade ${oldVersion} → ${current} would change`);
    expect(result.stdout).toContain(`-${templateLine.old}\n+${templateLine.now}\n`);
    expect(result.stdout).toContain('Dry run: nothing was written.');
    expect(snapshotOf(dir)).toEqual(before);
  });

  it('--help names --from and the refusals', async () => {
    const result = await runCli(['upgrade', '--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/--from <path>/);
    expect(result.stdout).toMatch(/a project from a newer version/);
    expect((await runCli(['--help'])).stdout).toMatch(/create-sound-backend upgrade .*\(upgrade --help\)/);
  });
});

describe('overlapping edits', () => {
  /** A project whose user rewrote the very comment the new version changes. */
  async function overlapping(): Promise<{ dir: string; before: Record<string, string> }> {
    const dir = await create(oldBin(old));
    makeUserEdits(dir);
    replaceIn(path.join(dir, 'src/app.ts'), templateLine.old, '    // Unknown properties: 400, our API guide says so.');
    return { dir, before: snapshotOf(dir) };
  }

  it('stop the run: exit 2, the file and lines named, nothing written', async () => {
    const { dir, before } = await overlapping();
    const result = await upgrade(dir, ['--from', old]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      /src\/app\.ts: changed by you on lines the new version changes too \(line \d+ of yours\)/,
    );
    expect(snapshotOf(dir)).toEqual(before);
  });

  it('with --merge, write conflict markers in exactly that file', async () => {
    const { dir, before } = await overlapping();
    const result = await upgrade(dir, ['--from', old, '--merge']);
    expect(result.exitCode, result.stderr).toBe(0);
    const marked = Object.entries(snapshotOf(dir))
      .filter(([, text]) => text.includes('<<<<<<< yours'))
      .map(([file]) => file);
    expect(marked).toEqual(['src/app.ts']);
    expect(read(dir, 'src/app.ts')).toContain(`=======\n${templateLine.now}\n>>>>>>> create-sound-backend`);
    expect(read(dir, 'src/app.ts')).toContain(userEdits.appLine);
    expect(read(dir, 'README.md')).toContain(userEdits.readme);
    expect(result.stdout).toMatch(/Resolve the conflict markers[^\n]*\n {2}src\/app\.ts: lines \d+-\d+/);
    expect(before['src/app.ts']).not.toEqual(read(dir, 'src/app.ts'));
  });

  it('with --force, take the new version and keep yours as .orig', async () => {
    const { dir, before } = await overlapping();
    const result = await upgrade(dir, ['--from', old, '--force']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(read(dir, 'src/app.ts')).toContain(templateLine.now);
    expect(read(dir, 'src/app.ts.orig')).toBe(before['src/app.ts']);
  });
});

describe('upgrade refuses, in one line, and writes nothing', () => {
  it('a folder with no manifest', async () => {
    const dir = await create(oldBin(old));
    rmSync(path.join(dir, 'sound-backend.json'));
    const before = snapshotOf(dir);
    const result = await upgrade(dir, ['--from', old]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/has no sound-backend\.json/);
    expect(snapshotOf(dir)).toEqual(before);
  });

  it('a project from a newer version than this one', async () => {
    const dir = await create(cliPath);
    const manifest = manifestOf(dir);
    writeFileSync(path.join(dir, 'sound-backend.json'), JSON.stringify({ ...manifest, version: '99.0.0' }, null, 2));
    const before = snapshotOf(dir);
    const result = await upgrade(dir, []);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`99\\.0\\.0 made this project, newer than this ${current}`));
    expect(snapshotOf(dir)).toEqual(before);
  });

  it('a --from that is not there, or holds another version', async () => {
    const dir = await create(oldBin(old));
    const before = snapshotOf(dir);
    const missing = path.join(scratchDir('csb-gone-'), 'old-build');
    const gone = await upgrade(dir, ['--from', missing]);
    expect(gone.exitCode).toBe(2);
    expect(gone.stderr.trim()).toBe(`--from ${missing}: no such file or folder.`);

    const other = await upgrade(dir, ['--from', repoRoot]);
    expect(other.exitCode).toBe(2);
    expect(other.stderr.trim()).toBe(
      `--from ${repoRoot} is create-sound-backend ${current}, but ${oldVersion} made this project: pass a build of ${oldVersion}.`,
    );
    expect(snapshotOf(dir)).toEqual(before);
  });

  it('a recorded version npm cannot fetch, naming it and --from', async () => {
    // 0.0.1 is not on the registry (or the registry cannot be reached): either way, one line.
    const dir = await create(oldBin(old));
    const before = snapshotOf(dir);
    const result = await upgrade(dir, []);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/Cannot fetch create-sound-backend@0\.0\.1.*--from/);
    expect(snapshotOf(dir)).toEqual(before);
  });
});

describe('upgrade interrupted', () => {
  it('while writing leaves the project as it was and exits 130', async () => {
    const dir = await create(oldBin(old));
    makeUserEdits(dir);
    const before = snapshotOf(dir);
    const result = await interruptMidWrite(['upgrade', '--from', old], dir);
    expect(result.exitCode, result.stderr).toBe(130);
    expect(snapshotOf(dir)).toEqual(before);
    expect(readdirSync(dir).filter((entry) => entry.startsWith('.sound-backend-'))).toEqual([]);
  });

  it('while the old version renders leaves no temporary folder behind', async () => {
    const dir = await create(oldBin(old));
    const before = snapshotOf(dir);
    const temp = scratchDir('csb-tmp-');
    const child = execa(process.execPath, [cliPath, 'upgrade', '--from', old], {
      cwd: dir,
      reject: false,
      stdin: 'ignore',
      env: { CI: '', npm_config_user_agent: '', TMPDIR: temp },
    });
    // Stop it as soon as its temporary folder exists: the old version is rendering there.
    while (readdirSync(temp).length === 0 && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode, result.stderr).toBe(130);
    expect(readdirSync(temp)).toEqual([]);
    expect(snapshotOf(dir)).toEqual(before);
    expect(existsSync(path.join(dir, 'sound-backend.json'))).toBe(true);
  });
});
