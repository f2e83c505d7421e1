import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import compareVersions from 'semver/functions/compare.js';
import validVersion from 'semver/functions/valid.js';
import type { AddContext } from '../add/index.js';
import type { UpgradeArgs } from '../args.js';
import { UsageError } from '../errors.js';
import { manifestFile } from '../plan.js';
import { generatorVersion } from '../version.js';
import type { Manifest } from '../write.js';
import { renderOldVersion } from './old-render.js';

/**
 * The version that made the project, read before anything else: upgrade refuses (one line,
 * nothing written) a folder with no manifest and a project from a newer version than this one.
 */
function recordedVersion(root: string): string {
  const file = path.join(root, manifestFile);
  if (!existsSync(file)) {
    throw new UsageError(
      `${root} has no ${manifestFile}, so there is no recorded version to upgrade from: run upgrade in a project create-sound-backend generated, or pass --cwd <dir>.`,
    );
  }
  let version: unknown;
  try {
    ({ version } = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown });
  } catch (error) {
    throw new UsageError(`${manifestFile} is not valid JSON (${(error as Error).message}); nothing was changed.`);
  }
  if (typeof version !== 'string' || validVersion(version) === null) {
    throw new UsageError(`${manifestFile} records no version upgrade can read (${JSON.stringify(version)}).`);
  }
  return version;
}

/** `create-sound-backend upgrade`: the recorded version's render is the base of every merge. */
export async function upgrade(args: UpgradeArgs, ctx: AddContext): Promise<number> {
  const human = args.json ? ctx.stderr : ctx.stdout;
  const say = (line: string) => human.write(`${line}\n`);
  const root = path.resolve(ctx.cwd, args.cwd ?? '.');
  if (!existsSync(root)) throw new UsageError(`No such directory: ${root}`);
  if (args.merge && args.force) {
    throw new UsageError('--merge and --force disagree about files you changed: pass one of them.');
  }

  // 1. Which version made the project, against this one.
  const version = generatorVersion();
  const recorded = recordedVersion(root);
  const order = compareVersions(recorded, version);
  if (order > 0) {
    throw new UsageError(
      `create-sound-backend ${recorded} made this project, newer than this ${version}: upgrade with ${recorded} or later (npx create-sound-backend@latest upgrade).`,
    );
  }
  if (order === 0) {
    say(`upgrade: the project is up to date, create-sound-backend ${version} made it; nothing changed.`);
    if (args.json)
      ctx.stdout.write(`${JSON.stringify({ dir: root, from: recorded, to: version, changes: [] }, null, 2)}\n`);
    return 0;
  }

  // 2. The base: the project as that version rendered it.
  const manifest = JSON.parse(readFileSync(path.join(root, manifestFile), 'utf8')) as Manifest;
  const base = await renderOldVersion(
    { version: recorded, name: manifest.name, options: manifest.options, resources: manifest.resources ?? [] },
    { from: args.from, cwd: ctx.cwd },
  );
  say(`rendered ${base.size} files`);
  throw new UsageError('upgrade: not wired yet');
}
