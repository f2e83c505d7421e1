import { createHash } from 'node:crypto';
import type { RenderedFile } from './render.js';

/**
 * Deciding what `create` and `add` do to each file, without touching the disk: the plan's
 * content, what is on disk, and the hash the manifest recorded when the generator wrote the file.
 */

/** The hash the manifest records for each file, and every other hash the tool takes. */
export function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

export type Action = 'create' | 'update' | 'merge' | 'delete';

export interface FileChange {
  path: string;
  action: Action;
  /** What is on disk now (undefined for a create). */
  before?: Buffer;
  /** What will be there (undefined for a delete). */
  after?: Buffer;
  /** The mode to give `after` (a file copied from templates/ keeps its own); else the default. */
  mode?: number;
  /** Set when the user's own version is replaced or removed (only with --force). */
  overridesUser?: string;
  /** A merge written with conflict markers (only with --merge): their lines in `after`, e.g. `12-18`. */
  markers?: string[];
}

export interface Conflict {
  path: string;
  reason: string;
}

/** A line-by-line merge of the user's version with the new plan's; undefined when there is no base. */
export type LineMerge = (
  path: string,
  current: string,
) => { text: string; yours: string[]; marked: string[] } | undefined;

/** Rewrites a shared file that the user changed, keeping their changes; throws when it cannot. */
export type Merge = (current: string) => string;

export interface ChangeInput {
  /** Every file of the plan, rendered. */
  planned: ReadonlyMap<string, RenderedFile>;
  /** What is on disk at each path of the plan or the manifest; undefined when missing. */
  disk: ReadonlyMap<string, Buffer | undefined>;
  /** The manifest's hashes: what the generator wrote. */
  recorded: Readonly<Record<string, string>>;
  /** Structure-aware updates for files users are expected to edit (package.json, .env.example). */
  merges: Readonly<Record<string, Merge>>;
  /** Three-way merge of any other text file both sides changed (`add`: diff3 against the old plan's render). */
  lineMerge?: LineMerge;
  /** Write overlapping changes with conflict markers instead of stopping (`--merge`). */
  markConflicts?: boolean;
  force: boolean;
}

export interface ChangeSet {
  changes: FileChange[];
  /** Files the user changed (or made) that the change would overwrite or delete. */
  conflicts: Conflict[];
  /** Generated files the user deleted, left deleted. */
  keptDeleted: string[];
  /** The manifest's hashes afterwards. */
  recorded: Record<string, string>;
}

const isText = (content: Buffer) => !content.includes(0);

/** `line 4` or `lines 4-6, 9`. */
const linesWord = (ranges: readonly string[]) => (ranges.length === 1 && !ranges[0]?.includes('-') ? 'line' : 'lines');

/**
 * Per file: new → create; untouched by the user → replace or delete; changed by the user →
 * merged when a merge is known (package.json and .env.example by structure, other text files
 * line by line, against the old plan's version), left alone when the generator's content is the
 * same as before, else a conflict (overridden only with `force`). A file the manifest does not know is the
 * user's: never deleted, and overwritten only with `force`.
 */
export function decideChanges(input: ChangeInput): ChangeSet {
  const { planned, disk, recorded, merges, force } = input;
  const changes: FileChange[] = [];
  const conflicts: Conflict[] = [];
  const keptDeleted: string[] = [];
  const next: Record<string, string> = {};
  const paths = [...new Set([...planned.keys(), ...Object.keys(recorded)])].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );

  const conflict = (change: FileChange, reason: string) => {
    conflicts.push({ path: change.path, reason });
    if (force) changes.push({ ...change, overridesUser: reason });
  };

  for (const path of paths) {
    const rendered = planned.get(path);
    const want = rendered?.content;
    const mode = rendered?.mode === undefined ? {} : { mode: rendered.mode };
    const have = disk.get(path);
    const was = recorded[path];

    if (want === undefined) {
      // No longer part of the project.
      if (have === undefined || was === undefined) continue;
      if (sha256(have) === was) changes.push({ path, action: 'delete', before: have });
      else conflict({ path, action: 'delete', before: have }, 'changed by you, and no longer part of the project');
      continue;
    }

    const wanted = sha256(want);
    next[path] = wanted;
    if (have === undefined) {
      if (was === undefined) {
        changes.push({ path, action: 'create', after: want, ...mode });
      } else if (wanted === was) {
        // Deleted by the user and unchanged here: their decision stands.
        keptDeleted.push(path);
        next[path] = was;
      } else {
        conflict({ path, action: 'create', after: want, ...mode }, 'deleted by you, and the new version differs');
      }
      continue;
    }
    if (have.equals(want)) continue;
    if (was !== undefined && sha256(have) === was) {
      changes.push({ path, action: 'update', before: have, after: want, ...mode });
      continue;
    }
    if (was === undefined) {
      conflict({ path, action: 'update', before: have, after: want, ...mode }, 'not made by create-sound-backend');
      continue;
    }
    // The generator's version did not change: the user's stays, still marked as changed.
    if (wanted === was) continue;
    const merge = merges[path];
    if (merge !== undefined) {
      let merged: string | undefined;
      let failure = '';
      try {
        merged = merge(have.toString('utf8'));
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
      if (merged !== undefined) {
        const after = Buffer.from(merged);
        if (!after.equals(have)) changes.push({ path, action: 'merge', before: have, after });
        continue;
      }
      conflict(
        { path, action: 'update', before: have, after: want, ...mode },
        `changed by you, and cannot be merged: ${failure}`,
      );
      continue;
    }
    const lines = isText(have) && isText(want) ? input.lineMerge?.(path, have.toString('utf8')) : undefined;
    if (lines !== undefined) {
      if (lines.yours.length === 0 || input.markConflicts) {
        const after = Buffer.from(lines.text);
        const markers = lines.marked.length > 0 ? { markers: lines.marked } : {};
        if (!after.equals(have)) changes.push({ path, action: 'merge', before: have, after, ...mode, ...markers });
        continue;
      }
      conflict(
        { path, action: 'update', before: have, after: want, ...mode },
        `changed by you on lines the new version changes too (${linesWord(lines.yours)} ${lines.yours.join(', ')} of yours)`,
      );
      continue;
    }
    conflict({ path, action: 'update', before: have, after: want, ...mode }, 'changed by you since it was generated');
  }
  return { changes, conflicts, keptDeleted, recorded: next };
}
