import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ChoiceKind, choiceKinds, choices, type Stack, valuesOf } from '../../src/catalogue.js';
import { checkCombination } from '../../src/options.js';
import { listFiles, runCli, scratchDir } from '../helpers.js';
import { applyTypicalEdits, type TypicalEdits } from '../typical-edits.js';

/**
 * Day two: a project its user has edited as every real project is on its first day
 * (test/typical-edits.ts) keeps growing. Every add the catalogue allows, add resource and every
 * remove merge into those edits without --force and lose none of them; the same command run
 * twice changes nothing the second time; only edits of the very lines the tool changes stop it.
 */

const quiet = ['--no-install', '--no-git', '--yes'];

/** Every file and its content (`.env` aside: create writes it once, add and remove leave it). */
function snapshotOf(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir)
      .filter((file) => file !== '.env')
      .map((file) => [file, readFileSync(path.join(dir, file), 'utf8')]),
  );
}

/** The choices recorded in a project's manifest. */
function stackOf(dir: string): Stack {
  const { options } = JSON.parse(readFileSync(path.join(dir, 'sound-backend.json'), 'utf8'));
  return Object.fromEntries(choiceKinds.map((kind) => [kind, options[kind]])) as Stack;
}

const allowed = (stack: Stack) => {
  try {
    checkCombination(stack);
    return true;
  } catch {
    return false;
  }
};

/** `kind=value` for every value not chosen yet that the catalogue lets this project add. */
function possibleAdds(stack: Stack): string[] {
  return choiceKinds.flatMap((kind: ChoiceKind) => {
    const chosen: string | string[] = stack[kind];
    return valuesOf(kind)
      .filter((value) => (Array.isArray(chosen) ? !chosen.includes(value) : chosen !== value))
      .filter((value) => {
        const list = Array.isArray(chosen) ? chosen.filter((each) => each !== 'none') : [];
        const next = choices[kind].multiple ? (value === 'none' ? ['none'] : [...list, value]) : value;
        return allowed({ ...stack, [kind]: next });
      })
      .map((value) => `${kind}=${value}`);
  });
}

/**
 * `kind=value` for every chosen value `remove` can take out: a value of a list (the last one
 * leaves `none`), or a single choice that has `none` to fall back to; when the rest allows it.
 */
function possibleRemoves(stack: Stack): string[] {
  return choiceKinds.flatMap((kind: ChoiceKind) => {
    const chosen: string | string[] = stack[kind];
    const values = (Array.isArray(chosen) ? chosen : [chosen]).filter((value) => value !== 'none');
    return values
      .filter((value) => {
        if (!Array.isArray(chosen)) return valuesOf(kind).includes('none') && allowed({ ...stack, [kind]: 'none' });
        const rest = chosen.filter((each) => each !== value);
        return allowed({ ...stack, [kind]: rest.length > 0 ? rest : ['none'] });
      })
      .map((value) => `${kind}=${value}`);
  });
}

/** A generated project with the typical edits, copied afresh for each test. */
function editedProject(name: string, args: string[]) {
  const template = path.join(scratchDir(`csb-daytwo-${name}-`), 'app');
  let edits: TypicalEdits | undefined;
  beforeAll(async () => {
    const created = await runCli(['app', ...args, ...quiet], { cwd: path.dirname(template) });
    expect(created.exitCode, created.stderr).toBe(0);
    edits = applyTypicalEdits(template);
    expect(edits.missing(template)).toEqual([]);
  });
  return {
    template,
    copy(): { dir: string; edits: TypicalEdits } {
      if (edits === undefined) throw new Error('the project is not made yet');
      const dir = path.join(scratchDir(`csb-daytwo-${name}-`), 'app');
      cpSync(template, dir, { recursive: true });
      return { dir, edits };
    },
  };
}

const run = (command: string, args: string[], dir: string) => runCli([command, ...args, '--cwd', dir]);

describe.each([
  { name: 'default', args: [] as string[] },
  { name: 'postgres-redis', args: ['--db', 'postgres', '--cache', 'redis'] },
])('a $name project with the typical edits', ({ name, args }) => {
  const project = editedProject(name, args);

  // The lists depend on the options only, so they are known before the project is made.
  const created = Object.fromEntries(
    choiceKinds.map((kind) => {
      const flag = args.indexOf(`--${kind}`);
      const value = flag >= 0 ? args[flag + 1] : undefined;
      const fallback = choices[kind].default;
      return [kind, value === undefined ? fallback : choices[kind].multiple ? value.split(',') : value];
    }),
  ) as Stack;
  const commands = [
    ...possibleAdds(created).map((spec) => ['add', spec]),
    ['add', 'resource', 'orders'],
    // Typed fields and a reference to the edited items module: the same merge, its migration left to db:generate.
    ['add', 'resource', 'invoices', 'item:references', 'total:decimal(10,2)', 'status:enum(open,paid)=open:index'],
    ...possibleRemoves(created).map((spec) => ['remove', spec]),
  ];

  it('starts from the options the test enumerates from', () => {
    expect(stackOf(project.template)).toEqual(created);
  });

  it.each(commands.map((command) => ({ command: command.join(' '), words: command })))(
    '$command merges without --force, loses no edit, and changes nothing when run again',
    async ({ words }) => {
      const [command = '', ...rest] = words;
      const { dir, edits } = project.copy();
      const first = await run(command, rest, dir);
      expect(first.exitCode, first.stdout + first.stderr).toBe(0);
      expect(edits.missing(dir)).toEqual([]);
      expect(listFiles(dir).filter((file) => file.endsWith('.orig'))).toEqual([]);
      const grown = snapshotOf(dir);
      expect(Object.entries(grown).filter(([, text]) => text.includes('<<<<<<< yours'))).toEqual([]);

      // A second add of a choice has nothing to do (exit 0); a resource exists already (exit 2).
      // A second remove may say either; what counts is that it writes nothing.
      const second = await run(command, rest, dir);
      const expected = command === 'remove' ? [0, 2] : rest[0] === 'resource' ? [2] : [0];
      expect(expected, second.stdout + second.stderr).toContain(second.exitCode);
      expect(snapshotOf(dir)).toEqual(grown);
    },
  );
});

describe('a project with the typical edits and an edit of a line the tool changes too', () => {
  const project = editedProject('overlap', []);

  /** The typical edits, plus the user's own cache TTL and stack line: both lines `add cache=redis` rewrites. */
  function overlapping() {
    const { dir, edits } = project.copy();
    const change = (file: string, from: string, to: string) => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      expect(text).toContain(from);
      writeFileSync(path.join(dir, file), text.replace(from, to));
    };
    change('src/app.ts', '{ ttlSeconds: config.CACHE_TTL_SECONDS }', '{ ttlSeconds: 30 }');
    change('README.md', 'an in-memory cache,', 'an in-memory cache (30 s),');
    return { dir, edits };
  }

  it('stops: exit 2, naming each file and its lines, and writes nothing', async () => {
    const { dir } = overlapping();
    const before = snapshotOf(dir);
    const refused = await run('add', ['cache=redis'], dir);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(
      /^ {2}src\/app\.ts: changed by you on lines the new version changes too \(line \d+ of yours\)$/m,
    );
    expect(refused.stderr).toMatch(
      /^ {2}README\.md: changed by you on lines the new version changes too \(line \d+ of yours\)$/m,
    );
    expect(refused.stderr.match(/^ {2}\S+: /gm)).toHaveLength(2);
    expect(snapshotOf(dir)).toEqual(before);
  });

  it('--merge writes conflict markers in exactly those files and keeps every other edit', async () => {
    const { dir, edits } = overlapping();
    const marked = await run('add', ['cache=redis', '--merge'], dir);
    expect(marked.exitCode, marked.stderr).toBe(0);
    const withMarkers = Object.entries(snapshotOf(dir))
      .filter(([, text]) => text.includes('<<<<<<< yours\n'))
      .map(([file]) => file);
    expect(withMarkers).toEqual(['README.md', 'src/app.ts']);
    expect(edits.missing(dir)).toEqual([]);
    expect(marked.stdout).toMatch(/^ {2}src\/app\.ts: lines \d+-\d+$/m);
    expect(marked.stdout).toMatch(/^ {2}README\.md: lines \d+-\d+$/m);
  });

  it('--force takes the new lines and keeps each overridden file as .orig', async () => {
    const { dir, edits } = overlapping();
    const app = readFileSync(path.join(dir, 'src/app.ts'), 'utf8');
    const forced = await run('add', ['cache=redis', '--force'], dir);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(listFiles(dir).filter((file) => file.endsWith('.orig'))).toEqual(['README.md.orig', 'src/app.ts.orig']);
    expect(readFileSync(path.join(dir, 'src/app.ts.orig'), 'utf8')).toBe(app);
    // Edits in files with no overlap merged as always.
    const elsewhere = edits.missing(dir).filter((each) => !/^(src\/app\.ts|README\.md):/.test(each));
    expect(elsewhere).toEqual([]);
  });
});
