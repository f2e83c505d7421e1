import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
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

/** Runs the CLI at `bin` in `dir`; fails the test with what it printed when it fails. */
async function runIn(bin: string, dir: string, args: string[]): Promise<void> {
  const result = await execa(process.execPath, [bin, ...args], { cwd: dir, reject: false, stdin: 'ignore' });
  expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(0);
}

/**
 * A monolith with typed, referencing and shared resources, `orders` extracted into a service:
 * every kind of record the manifest holds. Made by the CLI at `bin`; returns both folders.
 */
async function extracted(bin: string): Promise<{ monolith: string; service: string }> {
  const monolith = await create(bin, ['--db', 'postgres', '--auth', 'jwt', '--cache', 'redis']);
  await runIn(bin, monolith, ['add', 'resource', 'customers', 'name:string(120)!', 'email:email!']);
  await runIn(bin, monolith, [
    'add',
    'resource',
    'orders',
    'total:decimal(10,2)',
    'status:enum(open,paid)=open:index',
    'customer:references',
  ]);
  await runIn(bin, monolith, ['add', 'resource', 'tags', '--shared']);
  const service = path.join(path.dirname(monolith), 'orders-service');
  await runIn(bin, monolith, ['extract', 'orders', '--to', service, '--port', '3005']);
  return { monolith, service };
}

describe("the recorded version's render", () => {
  it('is the project its manifest records, fields, access, extracted modules and identity included', async () => {
    // This build as its own "old version": its `render` must give back what extract and add wrote.
    const { monolith, service } = await extracted(cliPath);
    for (const root of [monolith, service]) {
      const files = await renderOldVersion({ version: current, root }, { from: repoRoot, cwd: repoRoot });
      const recorded = Object.keys(manifestOf(root).files).sort();
      expect([...files.keys()].sort(), root).toEqual(recorded);
      for (const file of recorded) {
        expect(files.get(file)?.toString('utf8'), `${root}: ${file}`).toBe(read(root, file));
      }
    }
    // extract's --port is recorded with the service's identity, and rendered.
    expect(read(service, '.env.example')).toMatch(/^PORT=3005$/m);
  });
});

describe('render refuses, in one line, and writes nothing', () => {
  it('without a folder, into a folder with files, and without a manifest', async () => {
    const dir = await create(cliPath);
    const missing = await runCli(['render', '--cwd', dir]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/render needs the folder to write into/);

    const taken = scratchDir('csb-render-');
    writeFileSync(path.join(taken, 'notes.md'), 'mine\n');
    const full = await runCli(['render', taken, '--cwd', dir]);
    expect(full.exitCode).toBe(2);
    expect(full.stderr).toMatch(/is not empty/);
    expect(readdirSync(taken)).toEqual(['notes.md']);

    const bare = scratchDir('csb-render-');
    const target = path.join(scratchDir('csb-render-'), 'out');
    const none = await runCli(['render', target, '--cwd', bare]);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/has no package\.json/);
    expect(existsSync(target)).toBe(false);
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

  it('upgrades a monolith that extracted a module, and the service, against their own bases', async () => {
    // The old version words a comment of the resource schemas otherwise too: the orders module's
    // schemas.ts merges three ways, its fields in the base as in both sides.
    const older = buildOldVersion('0.0.3');
    const comment = {
      now: '// Request schemas refuse unknown properties (mass assignment) instead of dropping them.',
      old: '// Request schemas refuse unknown properties rather than dropping them.',
    };
    replaceIn(path.join(older, 'templates/resource/src/modules/__name__/schemas.ts.hbs'), comment.now, comment.old);
    replaceIn(path.join(older, 'dist/templates.js'), comment.now, comment.old);
    const made = await extracted(oldBin(older));
    const fresh = await extracted(cliPath);
    const edit = { from: '  status: Status,\n', to: '  status: Status, // open until paid\n' };
    const schemas = 'src/modules/orders/schemas.ts';
    for (const kind of ['monolith', 'service'] as const) {
      const dir = made[kind];
      // Edits where the template changed, next to what the resource's fields made.
      makeUserEdits(dir);
      replaceIn(path.join(dir, schemas), edit.from, edit.to);
      const result = await upgrade(dir, ['--from', older]);
      expect(result.exitCode, `${kind}: ${result.stdout}${result.stderr}`).toBe(0);
      expect(read(dir, 'src/app.ts'), kind).toContain(templateLine.now);
      expect(read(dir, 'src/app.ts'), kind).toContain(userEdits.appLine);
      expect(read(dir, schemas), kind).toContain(comment.now);
      expect(read(dir, schemas), kind).toContain(edit.to);
      // Every other file is what this version makes of the same commands.
      const upgraded = snapshotOf(dir);
      const expected = snapshotOf(fresh[kind]);
      expect(Object.keys(upgraded), kind).toEqual(Object.keys(expected));
      for (const file of Object.keys(expected)) {
        if (['src/app.ts', schemas, 'README.md', 'package.json', '.env.example', 'sound-backend.json'].includes(file))
          continue;
        expect(upgraded[file], `${kind}: ${file}`).toBe(expected[file]);
      }
    }
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
