import { describe, expect, it } from 'vitest';
import { parseCreateArgs } from '../../src/args.js';
import { choiceKinds, choices, valuesOf } from '../../src/catalogue.js';
import { UsageError } from '../../src/errors.js';
import {
  checkCombination,
  detectPackageManager,
  missingChoices,
  parsePreset,
  projectNameFor,
  requestedOptions,
  withDefaults,
} from '../../src/options.js';

const resolve = (argv: string[], preset: Record<string, unknown> = {}, env: Record<string, string> = {}) =>
  requestedOptions(parseCreateArgs(argv), preset, env);

function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return error as UsageError;
  }
  throw new Error('expected a usage error');
}

describe('parseCreateArgs', () => {
  it('reads the directory and every flag', () => {
    const args = parseCreateArgs([
      'api',
      '--db',
      'sqlite',
      '--monitoring=prometheus',
      '-y',
      '--no-git',
      '--dry-run',
      '--json',
    ]);
    expect(args.positionals).toEqual(['api']);
    expect(args.values).toMatchObject({
      db: 'sqlite',
      monitoring: 'prometheus',
      yes: true,
      'no-git': true,
      'dry-run': true,
      json: true,
    });
  });

  it('refuses an unknown flag and points at --help', () => {
    expect(usageError(() => parseCreateArgs(['--databse', 'x'])).message).toMatch(/--databse[\s\S]*--help/);
  });

  it('refuses a flag without its value', () => {
    usageError(() => parseCreateArgs(['--db']));
  });

  it('refuses two directories', () => {
    expect(usageError(() => parseCreateArgs(['a', 'b'])).message).toContain('one target directory');
  });
});

describe('requestedOptions', () => {
  it('leaves every choice open when nothing is given', () => {
    const options = resolve([]);
    expect(options.stack).toEqual({});
    expect(missingChoices(options.stack)).toEqual(choiceKinds);
    expect(options).toMatchObject({
      pm: 'npm',
      install: true,
      git: true,
      yes: false,
      dryRun: false,
      force: false,
      json: false,
    });
  });

  it('lists the valid values when one is out of range', () => {
    expect(usageError(() => resolve(['--db', 'oracle'])).message).toBe(
      'Invalid --db value "oracle": valid values are sqlite, postgres, mysql',
    );
    expect(usageError(() => resolve(['--monitoring', 'prometheus,graphite'])).message).toContain(
      'valid values are prometheus, opentelemetry, elk, none',
    );
  });

  it('splits, trims and de-duplicates comma lists', () => {
    expect(resolve(['--monitoring', ' prometheus ,prometheus']).stack.monitoring).toEqual(['prometheus']);
  });

  it('refuses none combined with a real value, and a list for a single choice', () => {
    expect(usageError(() => resolve(['--deploy', 'docker,none'])).message).toContain('none cannot be combined');
    expect(usageError(() => resolve(['--ci', 'github,none'])).message).toContain('single value');
  });

  it('lets flags win over the preset', () => {
    const options = resolve(['--monitoring', 'none'], { monitoring: ['prometheus'], deploy: 'none', install: false });
    expect(options.stack).toEqual({ monitoring: ['none'], deploy: ['none'] });
    expect(options.install).toBe(false);
  });

  it('detects the package manager that ran it, and lets --pm override', () => {
    expect(detectPackageManager('pnpm/9.12.0 npm/? node/v20.20.2 linux x64')).toBe('pnpm');
    expect(detectPackageManager('yarn/1.22.22 npm/? node/v20.20.2')).toBe('yarn');
    expect(detectPackageManager(undefined)).toBe('npm');
    expect(detectPackageManager('deno/2.0.0')).toBe('npm');
    expect(resolve([], {}, { npm_config_user_agent: 'bun/1.2.0' }).pm).toBe('bun');
    expect(resolve(['--pm', 'yarn'], {}, { npm_config_user_agent: 'bun/1.2.0' }).pm).toBe('yarn');
    expect(usageError(() => resolve(['--pm', 'cargo'])).message).toContain('npm, pnpm, yarn, bun');
  });

  it('refuses --install with --no-install', () => {
    usageError(() => resolve(['--install', '--no-install']));
  });
});

describe('parsePreset', () => {
  it('reads a JSON object with flag keys', () => {
    expect(parsePreset('{"db":"sqlite","monitoring":["prometheus"]}', 'p.json')).toEqual({
      db: 'sqlite',
      monitoring: ['prometheus'],
    });
  });

  it('refuses bad JSON, non-objects and unknown keys', () => {
    expect(usageError(() => parsePreset('{db:', 'p.json')).message).toContain('not valid JSON');
    expect(usageError(() => parsePreset('[]', 'p.json')).message).toContain('JSON object');
    expect(usageError(() => parsePreset('{"database":"x"}', 'p.json')).message).toContain('unknown key database');
  });

  it('refuses a preset value of the wrong type', () => {
    usageError(() => resolve([], { monitoring: 3 }));
    usageError(() => resolve([], { install: 'yes' }));
  });
});

describe('withDefaults', () => {
  it('takes each default from the catalogue', () => {
    const stack = withDefaults({});
    for (const kind of choiceKinds) expect(stack[kind]).toEqual(choices[kind].default);
  });

  it('keeps what was given', () => {
    expect(withDefaults({ monitoring: ['none'] }).monitoring).toEqual(['none']);
  });
});

describe('projectNameFor', () => {
  it('takes the folder name', () => {
    expect(projectNameFor('apps/my-api', '/work')).toBe('my-api');
    expect(projectNameFor('.', '/work/billing-service')).toBe('billing-service');
  });

  it('refuses an invalid npm name and suggests a valid one', () => {
    expect(usageError(() => projectNameFor('My API', '/work')).message).toMatch(
      /not a valid npm package name[\s\S]*Try: create-sound-backend my-api/,
    );
    expect(usageError(() => projectNameFor('_private', '/work')).message).toContain('create-sound-backend private');
    expect(usageError(() => projectNameFor('node_modules', '/work')).message).toContain('reserved');
  });
});

describe('checkCombination', () => {
  it('refuses jwt with oauth2, which both read Authorization: Bearer, and allows apikey with either', () => {
    expect(() => checkCombination(withDefaults({ auth: ['jwt', 'oauth2'] }))).toThrow(UsageError);
    expect(() => checkCombination(withDefaults({ auth: ['oauth2', 'jwt'] }))).toThrow(/choose one of them/);
    for (const auth of [['jwt', 'apikey'], ['oauth2', 'apikey'], ['apikey'], ['oauth2']] as const) {
      expect(() => checkCombination(withDefaults({ auth: [...auth] }))).not.toThrow();
    }
  });

  it('refuses Kubernetes with an embedded database, naming what would work', () => {
    const stack = withDefaults({ deploy: ['docker', 'kubernetes'] });
    expect(() => checkCombination(stack)).toThrow(UsageError);
    expect(() => checkCombination(stack)).toThrow(/--deploy kubernetes needs a database every replica shares/);
    for (const db of valuesOf('db').filter((value) => value !== 'sqlite')) {
      expect(() => checkCombination(stack)).toThrow(`--db ${db}`);
      expect(() => checkCombination(withDefaults({ db, deploy: ['kubernetes'] } as never))).not.toThrow();
    }
  });

  it('lets SQLite run with Docker or no deployment', () => {
    expect(() => checkCombination(withDefaults({ deploy: ['docker'] }))).not.toThrow();
    expect(() => checkCombination(withDefaults({ deploy: ['none'] }))).not.toThrow();
  });
});
