import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { featureModules } from '../../generators/index.js';
import { choiceKinds, valuesOf } from '../../src/catalogue.js';
import { repoRoot } from '../helpers.js';

/**
 * The claim of src/catalogue.ts, checked: adding a value means adding it to the catalogue, plus
 * its own generator module (generators/<kind>-<value>.ts) and template folder
 * (templates/<kind>-<value>/). So no value is named in the generation code (src/, apart from the
 * doctor, which audits any backend, and the catalogue itself) or in the base template: only in
 * the catalogue, the value's own module and folders, shared modules and tests.
 */

/** Every file below a folder of the repository, as a `/`-separated path from the repository root. */
function filesUnder(folder: string): string[] {
  return readdirSync(path.join(repoRoot, folder), { recursive: true, encoding: 'utf8' })
    .map((file) => `${folder}/${file.split(path.sep).join('/')}`)
    .filter((file) => statSync(path.join(repoRoot, file)).isFile())
    .sort();
}

/** The generation code and the base template: where no value may be named. */
const checkedFiles = [
  ...filesUnder('src').filter((file) => !file.startsWith('src/doctor/') && file !== 'src/catalogue.ts'),
  ...filesUnder('templates/base'),
];

/**
 * The words of a line, lower-cased: runs of letters and digits (so `oauth2` is a word, and
 * `mysql2` or `ioredis` are not `mysql` or `redis`), each also split at its camelCase humps
 * (`cacheRedis`, `hasSQLite`), case-insensitively; underscores and other signs separate words
 * (`REDIS_URL`). A word is also kept whole, so `SQLite` and `MySQL` read as `sqlite` and `mysql`.
 */
function wordsOf(line: string): Set<string> {
  const words = new Set<string>();
  for (const run of line.match(/[A-Za-z0-9]+/g) ?? []) {
    const humps = run.split(/(?<=[a-z0-9])(?=[A-Z])/);
    const acronyms = run.split(/(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/);
    for (const word of [run, ...humps, ...acronyms]) words.add(word.toLowerCase());
  }
  return words;
}

/**
 * Whether a line names a value. `memory` is an ordinary word, so it counts only as the value:
 * `has.memory`, or quoted ('memory', "memory", `memory`).
 */
function names(line: string, value: string): boolean {
  if (value === 'memory') return /\bhas\.memory\b|(['"`])memory\1/i.test(line);
  return wordsOf(line).has(value);
}

/** `file:line` of each line of the files that names the value. */
function mentionsOf(value: string, files: readonly string[]): string[] {
  return files.flatMap((file) =>
    readFileSync(path.join(repoRoot, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => (names(line, value) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
  );
}

const values = choiceKinds.flatMap((kind) =>
  valuesOf(kind)
    .filter((value) => value !== 'none')
    .map((value) => ({ kind, value, id: `${kind}-${value}` })),
);

describe('wordsOf and names', () => {
  it('splits on signs, underscores and camelCase, case-insensitively', () => {
    expect(names('REDIS_URL=redis://127.0.0.1', 'redis')).toBe(true);
    expect(names('const cacheRedis = 1', 'redis')).toBe(true);
    expect(names('{{#if has.postgres}}', 'postgres')).toBe(true);
    expect(names('Stack: SQLite through Drizzle', 'sqlite')).toBe(true);
    expect(names('MySQL 8 or MariaDB', 'mysql')).toBe(true);
    expect(names('OAUTH2_ISSUER', 'oauth2')).toBe(true);
    expect(names("import { Redis } from 'ioredis'", 'redis')).toBe(true);
  });

  it('leaves longer words alone', () => {
    expect(names("import { Cluster } from 'ioredis'", 'redis')).toBe(false);
    expect(names("import { createPool } from 'mysql2/promise'", 'mysql')).toBe(false);
    expect(names('PostgreSQL', 'postgres')).toBe(false);
    expect(names('The Dockerfile', 'docker')).toBe(false);
    expect(names('the dockerless ELKS', 'elk')).toBe(false);
  });

  it('counts memory only as a value', () => {
    expect(names('render the new project in memory', 'memory')).toBe(false);
    expect(names('{{#if has.memory}}', 'memory')).toBe(true);
    expect(names("cache: 'memory'", 'memory')).toBe(true);
    expect(names('(eq stack.cache "memory")', 'memory')).toBe(true);
  });
});

describe('every value of the catalogue lives in one place', () => {
  it.each(values)('$value is named nowhere in src/ or templates/base/', ({ value }) => {
    const mentions = mentionsOf(value, checkedFiles);
    expect(mentions, `${value} is named in shared code:\n${mentions.join('\n')}`).toEqual([]);
  });

  it.each(values)('$value has its own generator module and template folder', ({ id }) => {
    expect(featureModules[id], `generators/index.ts registers no feature ${id}`).toBeDefined();
    expect(featureModules[id]?.id).toBe(id);
    expect(existsSync(path.join(repoRoot, 'generators', `${id}.ts`)), `generators/${id}.ts`).toBe(true);
    expect(existsSync(path.join(repoRoot, 'templates', id)), `templates/${id}/`).toBe(true);
  });

  /** `{{#if …}}` and `{{#unless …}}` blocks of a template (`{{else}}` and `{{#each}}` are not). */
  const conditionalsOf = (file: string) =>
    (readFileSync(path.join(repoRoot, file), 'utf8').match(/\{\{[~]?#(?:if|unless)\b[^}]*\}\}/g) ?? []).length;

  it.each(['templates/base/src/app.ts.hbs', 'templates/base/src/config.ts.hbs', 'templates/base/test/helpers.ts.hbs'])(
    '%s only iterates over what the features contribute',
    (file) => {
      expect(conditionalsOf(file)).toBe(0);
    },
  );

  it('keeps the README template to at most 15 conditionals', () => {
    expect(conditionalsOf('templates/base/README.md.hbs')).toBeLessThanOrEqual(15);
  });
});
