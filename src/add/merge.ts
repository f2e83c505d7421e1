import { diff3Merge } from 'node-diff3';
import { type ImportBlock, importBlockOf, mergeImportBlocks } from '../imports.js';
import { formatJson } from '../json.js';

/**
 * Structure-aware updates of the two shared files users edit most: the generator's own entries
 * change as the plans before and after differ, the user's entries stay. Each throws when the
 * file is not shaped as expected, so nothing is guessed.
 */

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

// Maps of named entries merged one entry at a time; package managers keep them sorted.
const entryMaps: Record<string, { sorted: boolean }> = {
  scripts: { sorted: false },
  dependencies: { sorted: true },
  devDependencies: { sorted: true },
  allowScripts: { sorted: true },
};

function mergeMap(
  key: string,
  current: unknown,
  before: unknown,
  after: unknown,
  sorted: boolean,
): JsonObject | undefined {
  if (current !== undefined && !isObject(current)) throw new Error(`"${key}" is not an object`);
  const was = isObject(before) ? before : {};
  const will = isObject(after) ? after : {};
  const result: JsonObject = { ...current };
  for (const [name, value] of Object.entries(was)) {
    // Removed by the generator, and still as it wrote it: the user's version of it stays.
    if (!(name in will) && same(result[name], value)) delete result[name];
  }
  for (const [name, value] of Object.entries(will)) {
    if (!(name in result) || same(result[name], was[name])) result[name] = value;
  }
  const entries = Object.entries(result);
  if (entries.length === 0 && !isObject(after)) return undefined;
  if (sorted) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

/** package.json: the generator's scripts and dependencies follow the plan; everything else of the user's stays. */
export function mergePackageJson(current: string, before: string, after: string): string {
  let pkg: unknown;
  try {
    pkg = JSON.parse(current);
  } catch (error) {
    throw new Error(`not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(pkg)) throw new Error('not a JSON object');
  const was = JSON.parse(before) as JsonObject;
  const will = JSON.parse(after) as JsonObject;
  const result: JsonObject = { ...pkg };
  for (const key of new Set([...Object.keys(was), ...Object.keys(will)])) {
    const map = entryMaps[key];
    if (map !== undefined) {
      const merged = mergeMap(key, result[key], was[key], will[key], map.sorted);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else if (same(was[key], will[key])) {
      // The generator's value did not change: the user's stays.
    } else if (same(result[key], was[key])) {
      if (will[key] === undefined) delete result[key];
      else result[key] = will[key];
    } else {
      throw new Error(`"${key}" was changed by you and must change for this feature`);
    }
  }
  return formatJson(result);
}

/** The blocks of `.env.example`: a comment and its variable, separated by blank lines. */
function envBlocks(text: string): { name: string | undefined; text: string }[] {
  return text
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter((block) => block !== '')
    .map((block) => ({ name: /^([A-Za-z_][A-Za-z0-9_]*)=/m.exec(block.split('\n').at(-1) ?? '')?.[1], text: block }));
}

/** `.env.example`: the generator's variable blocks follow the plan; the user's own lines stay. */
export function mergeEnvExample(current: string, before: string, after: string): string {
  const blocks = envBlocks(current);
  const was = new Map(envBlocks(before).map((block) => [block.name, block.text]));
  const will = envBlocks(after);
  const wanted = new Map(will.map((block) => [block.name, block.text]));
  const result = blocks
    .filter((block) => block.name === undefined || wanted.has(block.name) || was.get(block.name) !== block.text)
    .map((block) =>
      block.name !== undefined && was.get(block.name) === block.text
        ? { ...block, text: wanted.get(block.name) ?? block.text }
        : block,
    );
  const present = new Set(result.map((block) => block.name));
  for (const block of will) if (!present.has(block.name)) result.push(block);
  return `${result.map((block) => block.text).join('\n\n')}\n`;
}

/** Where two changes overlap: 1-based lines in the user's file, and in the file written with markers. */
export interface Overlap {
  yours: [from: number, to: number];
  marked: [from: number, to: number];
}

/** A line-by-line three-way merge; `text` carries git-style markers where `overlaps` is not empty. */
export interface ThreeWay {
  text: string;
  overlaps: Overlap[];
}

/** Whether `lines` is `base` with lines added at its start, or at its end; those lines. */
function addedAtEdge(lines: readonly string[], base: readonly string[]): { before?: string[]; after?: string[] } {
  const extra = lines.length - base.length;
  if (extra <= 0) return {};
  const same = (from: number) => base.every((line, index) => lines[from + index] === line);
  if (same(0)) return { after: lines.slice(base.length) };
  if (same(extra)) return { before: lines.slice(0, extra) };
  return {};
}

/**
 * Where diff3 sees an overlap that one side made only by adding lines beside the lines the other
 * changed (both adding at one place is the common case: a user's entry at the end of a list the
 * generator appends to), nothing either wrote needs to go: the added lines go on that side of the
 * other's version, as if the addition had been made after the other change. Undefined where both
 * changed the same lines, a real overlap.
 */
export function resolveAdditions(yours: string[], base: string[], theirs: string[]): string[] | undefined {
  const mine = addedAtEdge(yours, base);
  if (mine.after) return [...theirs, ...mine.after];
  if (mine.before) return [...mine.before, ...theirs];
  const their = addedAtEdge(theirs, base);
  if (their.after) return [...yours, ...their.after];
  if (their.before) return [...their.before, ...yours];
  return undefined;
}

/**
 * Any text file both the user and the generator changed: diff3 (node-diff3) of the user's
 * version and the new plan's against the old plan's, line by line. Changes to different lines
 * combine, and so do lines one side only added beside the other's change (resolveAdditions);
 * when both changed the imports a module starts with, those merge name by name
 * (mergeImportBlocks). Where both changed the same lines, both versions go between
 * `<<<<<<< yours` and `>>>>>>> create-sound-backend`, as git writes them.
 */
export function mergeThreeWay(yours: string, base: string, theirs: string): ThreeWay {
  const [mine, was, their] = [yours, base, theirs].map((text) => text.split('\n')) as [string[], string[], string[]];
  const blocks = [mine, was, their].map(importBlockOf);
  const [myImports, baseImports, theirImports] = blocks;
  const changed = (block: ImportBlock | undefined) =>
    block?.statements.join('\n') !== baseImports?.statements.join('\n');
  if (myImports && baseImports && theirImports && changed(myImports) && changed(theirImports)) {
    const imports = mergeImportBlocks(myImports, baseImports, theirImports);
    if (imports !== undefined) {
      const rest = mergeLines(
        mine.slice(myImports.lines),
        was.slice(baseImports.lines),
        their.slice(theirImports.lines),
        myImports.lines,
      );
      return {
        text: [...imports, ...rest.lines].join('\n'),
        overlaps: rest.overlaps.map((overlap) => ({
          yours: overlap.yours,
          marked: [overlap.marked[0] + imports.length, overlap.marked[1] + imports.length],
        })),
      };
    }
  }
  const { lines, overlaps } = mergeLines(mine, was, their, 0);
  return { text: lines.join('\n'), overlaps };
}

/** diff3 of lines; `offset` is where the user's lines start in their file, for the line numbers. */
function mergeLines(yours: string[], base: string[], theirs: string[], offset: number) {
  const out: string[] = [];
  const overlaps: Overlap[] = [];
  for (const region of diff3Merge(yours, base, theirs, { excludeFalseConflicts: true })) {
    if (region.ok !== undefined) {
      out.push(...region.ok);
      continue;
    }
    const { a, aIndex, o, b } = region.conflict ?? { a: [], aIndex: 0, o: [], b: [] };
    const combined = resolveAdditions(a, o, b);
    if (combined !== undefined) {
      out.push(...combined);
      continue;
    }
    const start = out.length + 1;
    out.push('<<<<<<< yours', ...a, '=======', ...b, '>>>>>>> create-sound-backend');
    // Lines the user removed where the generator changed: the place is after the line before.
    const at = offset + aIndex;
    overlaps.push({
      yours: a.length === 0 ? [at, at] : [at + 1, at + a.length],
      marked: [start, out.length],
    });
  }
  return { lines: out, overlaps };
}

/** `12-14`, or `12` for one line. */
export const lineRange = ([from, to]: [number, number]) => (from === to ? `${from}` : `${from}-${to}`);
