import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { projectRoot, readManifest } from '../add/index.js';
import type { ExtractArgs } from '../args.js';
import { UsageError } from '../errors.js';
import { manifestFile } from '../plan.js';
import { defaultServicePort, type ExtractSituation, extractRefusals } from './refusals.js';

export interface ExtractContext {
  cwd: string;
  stdout: Writable;
  stderr: Writable;
}

/** The project's `src/` files with their text, by path relative to the root (`/` separators). */
function sourcesOf(root: string): Map<string, string> {
  const src = path.join(root, 'src');
  if (!existsSync(src)) return new Map();
  return new Map(
    readdirSync(src, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && /\.[cm]?[jt]s$/.test(entry.name))
      .map((entry) => {
        const full = path.join(entry.parentPath, entry.name);
        return [path.relative(root, full).split(path.sep).join('/'), readFileSync(full, 'utf8')] as const;
      }),
  );
}

/** What is in the service's folder: undefined when there is none, null when it is a file. */
function entriesOf(target: string): readonly string[] | undefined | null {
  if (!existsSync(target)) return undefined;
  return statSync(target).isDirectory() ? readdirSync(target) : null;
}

/** Reads what extract decides from, then refuses (exit 2, one line per reason, nothing written). */
export function readSituation(args: ExtractArgs, ctx: ExtractContext): ExtractSituation {
  const root = projectRoot(args, ctx);
  const hasManifest = existsSync(path.join(root, manifestFile));
  const manifest = hasManifest ? readManifest(root) : undefined;
  const target = path.resolve(
    args.to === undefined ? root : ctx.cwd,
    args.to ?? `../${args.module ?? 'module'}-service`,
  );
  return {
    root,
    module: args.module,
    resources: manifest === undefined ? undefined : (manifest.resources ?? []),
    sources: sourcesOf(root),
    target: { path: target, entries: entriesOf(target) },
    port: args.port ?? defaultServicePort,
  };
}

/** `create-sound-backend extract <module>`: the module moved out of the monolith into a service. */
export async function extract(args: ExtractArgs, ctx: ExtractContext): Promise<number> {
  const situation = readSituation(args, ctx);
  const reasons = extractRefusals(situation);
  if (reasons.length > 0) throw new UsageError(reasons.join('\n'));
  throw new UsageError(
    `extract ${args.module}: the project passes every check, but this build cannot write the service yet; nothing was written.`,
  );
}
