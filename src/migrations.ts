import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MigrationSql } from '../generators/feature.js';
import { type FileChange, sha256 } from './changes.js';
import { deriveMigration } from './derived-migration.js';
import { UsageError } from './errors.js';
import type { RenderedProject } from './render.js';
import { snapshotAfter } from './snapshots.js';

/**
 * Migrations are history. Once written, a migration may have run against a database, so `add`,
 * `remove` and `upgrade` never change, merge or delete one: a change of tables is a new migration
 * after the journal's last entry, the way `db:generate` would add it, so that a database migrated
 * before reaches the new schema with `db:migrate`.
 */

export const journalFile = 'drizzle/meta/_journal.json';
const schemaFile = 'src/db/schema.ts';
const initialSnapshot = 'drizzle/meta/0000_snapshot.json';

/** A migration's SQL, its drizzle-kit snapshot, or the journal listing them. */
export function isMigrationHistory(file: string): boolean {
  return /^drizzle\/(?:[^/]+\.sql|meta\/(?:[^/]+_snapshot|_journal)\.json)$/.test(file);
}

interface JournalEntry {
  idx: number;
  tag: string;
  [field: string]: unknown;
}

interface Journal {
  dialect: string;
  entries: JournalEntry[];
  [field: string]: unknown;
}

/** The journal's entries are read, never guessed: one it cannot read stops the run before it writes. */
function parseJournal(text: string): Journal {
  let journal: Partial<Journal>;
  try {
    journal = JSON.parse(text) as Partial<Journal>;
  } catch (error) {
    throw new UsageError(`${journalFile} is not valid JSON (${(error as Error).message}); nothing was changed.`);
  }
  if (typeof journal.dialect !== 'string' || !Array.isArray(journal.entries)) {
    throw new UsageError(`${journalFile} has no dialect and entries, as drizzle-kit writes it; nothing was changed.`);
  }
  return journal as Journal;
}

/** The snapshot drizzle-kit writes beside a migration: `0002_orders` → `drizzle/meta/0002_snapshot.json`. */
const snapshotOf = (tag: string) => `drizzle/meta/${tag.slice(0, tag.indexOf('_'))}_snapshot.json`;

/**
 * The tag of a resource's migration in the project at `root`: numbered after the last entry of its
 * journal (which may be the user's own), as drizzle-kit numbers; undefined without a journal.
 */
export function nextMigrationTag(root: string, table: string): string | undefined {
  const file = path.join(root, journalFile);
  if (!existsSync(file)) return undefined;
  const last = parseJournal(readFileSync(file, 'utf8')).entries.at(-1);
  return `${String((last?.idx ?? -1) + 1).padStart(4, '0')}_${table}`;
}

/** Each history file in `root` (drizzle/*.sql, drizzle/meta/*.json), by path. */
function historyOnDisk(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const dir of ['drizzle', 'drizzle/meta']) {
    const full = path.join(root, dir);
    if (!existsSync(full)) continue;
    for (const entry of readdirSync(full, { withFileTypes: true })) {
      const file = `${dir}/${entry.name}`;
      if (entry.isFile() && isMigrationHistory(file)) files.set(file, readFileSync(path.join(full, entry.name)));
    }
  }
  return files;
}

/** A migration drizzle-kit wrote, or why it wrote none. */
export type Generated =
  | { files: Map<string, Buffer>; entries: JournalEntry[] }
  | { reason: string; notInstalled?: true };

export interface GenerateInput {
  root: string;
  /** The history the new migration follows, by path (the journal among it). */
  history: ReadonlyMap<string, Buffer>;
  /** src/db/schema.ts as the run leaves it. */
  schema: Buffer;
  /** Its name after the number: `<name>` → `0001_<name>.sql`. */
  name: string;
  timeout: number;
}

/** drizzle-kit's own question when a table or column went and another came: only the user can answer it. */
const renameQuestion = /created or renamed/i;

/**
 * Runs the project's own drizzle-kit (`generate`) on a copy of its configuration, schema folder and
 * history, with the schema the run leaves, so the project is untouched whatever it does. Returns the
 * files it added and its journal's new entries.
 */
export async function generateMigration(input: GenerateInput): Promise<Generated> {
  const { root } = input;
  const bin = path.join(root, 'node_modules/drizzle-kit/bin.cjs');
  if (!existsSync(bin)) {
    return { reason: 'drizzle-kit is not installed here (no node_modules/drizzle-kit)', notInstalled: true };
  }
  const stage = await mkdtemp(path.join(tmpdir(), 'sound-backend-migration-'));
  try {
    for (const file of ['drizzle.config.ts', 'package.json', 'tsconfig.json']) {
      if (existsSync(path.join(root, file))) await cp(path.join(root, file), path.join(stage, file));
    }
    await cp(path.join(root, 'src/db'), path.join(stage, 'src/db'), { recursive: true });
    await writeFile(path.join(stage, schemaFile), input.schema);
    await mkdir(path.join(stage, 'drizzle/meta'), { recursive: true });
    for (const [file, content] of input.history) await writeFile(path.join(stage, file), content);
    await symlink(path.join(root, 'node_modules'), path.join(stage, 'node_modules'), 'junction');

    const run = await new Promise<{ failed: boolean; output: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [path.join(stage, 'node_modules/drizzle-kit/bin.cjs'), 'generate', `--name=${input.name}`],
        { cwd: stage, timeout: input.timeout, killSignal: 'SIGKILL', env: { ...process.env, NO_COLOR: '1' } },
        (error, stdout, stderr) => resolve({ failed: error !== null, output: `${stdout}${stderr}` }),
      );
      // Never a question on the terminal: a rename question ends the run instead.
      child.stdin?.end();
    });
    if (renameQuestion.test(run.output)) {
      return { reason: 'drizzle-kit asks whether a table or column was renamed, which only you can answer' };
    }
    if (run.failed) {
      const last = run.output.trim().split('\n').at(-1) ?? '';
      return { reason: `drizzle-kit generate failed${last === '' ? '' : `: ${last.trim()}`}` };
    }
    const files = new Map<string, Buffer>();
    for (const dir of ['drizzle', 'drizzle/meta']) {
      for (const name of await readdir(path.join(stage, dir))) {
        const file = `${dir}/${name}`;
        if (isMigrationHistory(file) && file !== journalFile && !input.history.has(file)) {
          files.set(file, await readFile(path.join(stage, file)));
        }
      }
    }
    const known = new Set(parseJournal(String(input.history.get(journalFile))).entries.map((entry) => entry.tag));
    const journal = parseJournal(await readFile(path.join(stage, journalFile), 'utf8'));
    return { files, entries: journal.entries.filter((entry) => !known.has(entry.tag)) };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/**
 * Columns a migration adds as NOT NULL with no default (`items.owner_id`): drizzle-kit writes a
 * plain ADD for them, which runs on an empty table and fails on one with rows.
 */
export function columnsWithoutDefault(sql: string): string[] {
  return sql.split(/;|--> statement-breakpoint/).flatMap((statement) => {
    const match = /ALTER TABLE [`"]?([\w.]+?)[`"]? ADD (?:COLUMN )?[`"]?(\w+)[`"]?\s.*\bNOT NULL\b/is.exec(statement);
    return match !== null && !/\bDEFAULT\b/i.test(statement) ? [`${match[1]}.${match[2]}`] : [];
  });
}

export interface HistoryInput {
  root: string;
  /** The project rendered for the recorded choices (the base of every merge), and for the new ones. */
  base: RenderedProject;
  planned: RenderedProject;
  /** The manifest's hashes. */
  recorded: Readonly<Record<string, string>>;
  /** The new plan's database statements, to derive a migration where drizzle-kit is not installed. */
  sql?: MigrationSql;
  /**
   * A resource with fields is added, dropped or declared anew: its table has no migration in the
   * plan, and only drizzle-kit writes one (none is derived without it).
   */
  typedTables?: boolean;
  /**
   * The tables of resources `extract` moved into services: without drizzle-kit, the migration
   * that drops them is derived from the last snapshot on disk.
   */
  movedOut?: readonly string[];
}

export interface EvolveInput {
  /** The changes decided for the other files: src/db/schema.ts among them when it changes. */
  changes: readonly FileChange[];
  /** What drizzle-kit names a migration it writes (`<kind>_<value>`). */
  name: string;
  /** The project's `npm run`, to name `db:generate` when no migration could be written. */
  run: string;
  /** How long drizzle-kit may take, in milliseconds. */
  timeout?: number;
  /** Made for tests: drizzle-kit's part. */
  generate?: (input: GenerateInput) => Promise<Generated>;
}

export interface HistoryChanges {
  /** The new migrations (created) and the journal listing them (updated). */
  changes: FileChange[];
  /** The manifest's hashes of the history afterwards: those recorded, and the new files'. */
  recorded: Record<string, string>;
  /** The tables change but no migration was written: what to run, and why. */
  pending?: { command: string; reason: string };
  /** What the user should know of a migration written (a column that fails on a table with rows). */
  notes: string[];
}

export interface MigrationHistory {
  /** The new plan's files, and the manifest's hashes, but the history: for `decideChanges`. */
  planned: RenderedProject;
  recorded: Record<string, string>;
  /** The history's changes, once the other files' are decided. */
  evolve(input: EvolveInput): Promise<HistoryChanges>;
}

const dialectOf = (files: RenderedProject) => {
  const journal = files.get(journalFile)?.content;
  return journal === undefined ? undefined : parseJournal(journal.toString('utf8')).dialect;
};

function without<T>(entries: Iterable<[string, T]>, drop: (file: string) => boolean): [string, T][] {
  return [...entries].filter(([file]) => !drop(file));
}

/** The journal with `entries` after its own, in drizzle-kit's formatting, keeping a final newline it has. */
function journalWith(text: string, entries: readonly JournalEntry[]): Buffer {
  const journal = parseJournal(text);
  const merged = { ...journal, entries: [...journal.entries, ...entries] };
  return Buffer.from(`${JSON.stringify(merged, null, 2)}${text.endsWith('\n') ? '\n' : ''}`);
}

/**
 * The migrations of resources the new plan has and the old one had not (`add resource`): the
 * plan's SQL, and a snapshot made from the last one of `history` (the disk's, the user's migrations
 * included) with the resource's table, so that drizzle-kit sees the schema it describes. Each is
 * added to `history` as it is made.
 */
function resourceMigrations(
  base: RenderedProject,
  planned: RenderedProject,
  history: Map<string, Buffer>,
): { files: Map<string, Buffer>; entries: JournalEntry[] } {
  const files = new Map<string, Buffer>();
  const entries: JournalEntry[] = [];
  const entriesOf = (journal: Buffer | undefined) => parseJournal(String(journal)).entries;
  const onDisk = entriesOf(history.get(journalFile));
  const listed = new Set([...entriesOf(base.get(journalFile)?.content), ...onDisk].map((entry) => entry.tag));
  const model = planned.get(initialSnapshot)?.content;
  for (const entry of entriesOf(planned.get(journalFile)?.content)) {
    const sql = `drizzle/${entry.tag}.sql`;
    const content = planned.get(sql)?.content;
    if (listed.has(entry.tag) || content === undefined || history.has(sql)) continue;
    const last = [...onDisk, ...entries].at(-1);
    const previous = last === undefined ? undefined : history.get(snapshotOf(last.tag));
    if (previous === undefined || model === undefined) {
      throw new Error(`No snapshot before ${entry.tag} on disk to add its table to`);
    }
    const table = entry.tag.slice(entry.tag.indexOf('_') + 1);
    const snapshot = snapshotAfter(previous.toString('utf8'), model.toString('utf8'), { table, tag: entry.tag });
    for (const [file, text] of [
      [sql, content],
      [snapshotOf(entry.tag), Buffer.from(snapshot)],
    ] as const) {
      files.set(file, text);
      history.set(file, text);
    }
    entries.push(entry);
  }
  return { files, entries };
}

/** The snapshot of a journal's last entry in `files`. */
function lastSnapshot(files: ReadonlyMap<string, Buffer>): string | undefined {
  const last = parseJournal(String(files.get(journalFile))).entries.at(-1);
  return last === undefined ? undefined : files.get(snapshotOf(last.tag))?.toString('utf8');
}

const contentOf = (project: RenderedProject) =>
  new Map([...project].map(([file, { content }]) => [file, content] as [string, Buffer]));

/** The journal's last entry and its snapshot as written on disk, when there are both. */
function lastOnDisk(history: ReadonlyMap<string, Buffer>): { last?: JournalEntry; disk?: string } {
  const last = parseJournal(String(history.get(journalFile))).entries.at(-1);
  return { last, disk: last === undefined ? undefined : history.get(snapshotOf(last.tag))?.toString('utf8') };
}

/**
 * Without drizzle-kit, the migration `deriveMigration` makes, numbered after the journal's last
 * entry in `history` (which lists the run's resource migrations already); else why it cannot,
 * after why drizzle-kit could not.
 */
function derived(
  base: RenderedProject,
  planned: RenderedProject,
  history: ReadonlyMap<string, Buffer>,
  name: string,
  why: string,
  sql: MigrationSql | undefined,
): Generated {
  const { last, disk } = lastOnDisk(history);
  const [was, wanted] = [lastSnapshot(contentOf(base)), lastSnapshot(contentOf(planned))];
  const initialSql = planned.get('drizzle/0000_initial.sql')?.content.toString('utf8');
  if (sql === undefined) return { reason: why };
  if (last === undefined || disk === undefined || was === undefined || wanted === undefined || !initialSql) {
    return { reason: `${why}, and no snapshot to derive a migration from` };
  }
  const tag = `${String(last.idx + 1).padStart(4, '0')}_${name}`;
  const result = deriveMigration({ base: was, planned: wanted, disk, initialSql, tag, sql });
  return 'reason' in result ? { reason: `${why}; ${result.reason}` } : asGenerated(last, tag, result);
}

/** A derived migration after the journal's last entry, as drizzle-kit would list it. */
function asGenerated(last: JournalEntry, tag: string, result: { sql: string; snapshot: string }): Generated {
  const entry: JournalEntry = { idx: last.idx + 1, version: last.version, when: Date.now(), tag, breakpoints: true };
  return {
    files: new Map([
      [`drizzle/${tag}.sql`, Buffer.from(result.sql)],
      [snapshotOf(tag), Buffer.from(result.snapshot)],
    ]),
    entries: [entry],
  };
}

/**
 * Without drizzle-kit, the migration that drops the tables of resources moved into services: the
 * last snapshot on disk without them is the schema wanted, and `deriveMigration` writes the drops.
 */
function movedOutMigration(
  history: ReadonlyMap<string, Buffer>,
  tables: readonly string[],
  name: string,
  why: string,
  sql: MigrationSql | undefined,
): Generated {
  const { last, disk } = lastOnDisk(history);
  if (sql === undefined) return { reason: why };
  if (last === undefined || disk === undefined) return { reason: `${why}, and no snapshot to derive a migration from` };
  const snapshot = JSON.parse(disk) as { tables: Record<string, { name: string }> };
  const kept = Object.entries(snapshot.tables).filter(([, table]) => !tables.includes(table.name));
  const planned = JSON.stringify({ ...snapshot, tables: Object.fromEntries(kept) });
  const tag = `${String(last.idx + 1).padStart(4, '0')}_${name}`;
  const result = deriveMigration({ base: disk, planned, disk, initialSql: '', tag, sql });
  return 'reason' in result ? { reason: `${why}; ${result.reason}` } : asGenerated(last, tag, result);
}

/**
 * Takes the migration history out of a run's file-by-file decisions. The history on disk stays as it
 * is, recorded hashes and all; the journal gains the new entries after its last one; a resource's
 * migration is the plan's, its snapshot made from the last one on disk; a change of tables (the two
 * plans' migrations differ) is a migration drizzle-kit writes, or a `db:generate` the user runs.
 * A change of database is not history: the old dialect's migrations cannot run on the new one, so
 * they follow the plan as any file does.
 */
export function migrationHistory(input: HistoryInput): MigrationHistory {
  const { root, base, planned, recorded } = input;
  const dialect = dialectOf(planned);
  if (dialect === undefined || dialect !== dialectOf(base)) {
    return { planned, recorded: { ...recorded }, evolve: async () => ({ changes: [], recorded: {}, notes: [] }) };
  }
  const tablesChange =
    input.typedTables === true ||
    [...planned].some(([file, { content }]) => {
      const was = base.get(file)?.content;
      return isMigrationHistory(file) && file !== journalFile && was !== undefined && !was.equals(content);
    });
  return {
    planned: new Map(without(planned, isMigrationHistory)),
    recorded: Object.fromEntries(without(Object.entries(recorded), isMigrationHistory)),
    evolve: async ({ changes, name, run, timeout = 60_000, generate = generateMigration }) => {
      const history = historyOnDisk(root);
      const kept = Object.fromEntries(Object.entries(recorded).filter(([file]) => isMigrationHistory(file)));
      const journal = history.get(journalFile);
      if (journal === undefined) {
        const pending = { command: `${run} db:generate`, reason: `${journalFile} is missing` };
        return { changes: [], recorded: kept, notes: [], ...(tablesChange ? { pending } : {}) };
      }
      const { files: created, entries } = resourceMigrations(base, planned, history);

      let pending: HistoryChanges['pending'];
      const notes: string[] = [];
      if (tablesChange) {
        const schema =
          changes.find((change) => change.path === schemaFile)?.after ??
          (existsSync(path.join(root, schemaFile)) ? readFileSync(path.join(root, schemaFile)) : undefined);
        history.set(journalFile, journalWith(journal.toString('utf8'), entries));
        let generated: Generated =
          schema === undefined
            ? { reason: `${schemaFile} is missing` }
            : await generate({ root, history, schema, name, timeout });
        const movedOut = input.movedOut ?? [];
        if ('reason' in generated && generated.notInstalled === true && movedOut.length > 0) {
          generated = movedOutMigration(history, movedOut, name, generated.reason, input.sql);
          if (!('reason' in generated)) {
            const sql = [...generated.files.keys()].find((file) => file.endsWith('.sql'));
            notes.push(
              `${sql} was derived without drizzle-kit (not installed here): it drops ${movedOut.join(', ')}, which the service now owns.`,
            );
          }
        } else if ('reason' in generated && generated.notInstalled === true && input.typedTables !== true) {
          generated = derived(base, planned, history, name, generated.reason, input.sql);
          if (!('reason' in generated)) {
            const sql = [...generated.files.keys()].find((file) => file.endsWith('.sql'));
            notes.push(
              `${sql} was derived without drizzle-kit (not installed here), as it would write it; after the install, ${run} db:generate finds nothing more to write.`,
            );
          }
        }
        if ('reason' in generated) {
          pending = { command: `${run} db:generate`, reason: generated.reason };
        } else {
          for (const [file, content] of generated.files) {
            created.set(file, content);
            const columns = file.endsWith('.sql') ? columnsWithoutDefault(content.toString('utf8')) : [];
            if (columns.length > 0) {
              notes.push(
                `${file} adds ${columns.join(', ')} as NOT NULL with no default: it runs on an empty table, and fails on one with rows. Give those rows a value in it before db:migrate runs it there.`,
              );
            }
          }
          entries.push(...generated.entries);
        }
      }

      const out: FileChange[] = [...created].map(([file, content]) => ({
        path: file,
        action: 'create',
        after: content,
      }));
      const next = { ...kept };
      for (const [file, content] of created) next[file] = sha256(content);
      if (entries.length > 0) {
        const after = journalWith(journal.toString('utf8'), entries);
        out.push({ path: journalFile, action: 'update', before: journal, after });
        next[journalFile] = sha256(after);
      }
      out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      return { changes: out, recorded: next, notes, ...(pending ? { pending } : {}) };
    },
  };
}
