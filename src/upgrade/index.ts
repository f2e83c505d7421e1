import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import compareVersions from 'semver/functions/compare.js';
import validVersion from 'semver/functions/valid.js';
import { evolve } from '../add/evolve.js';
import { type AddContext, checkFlags, projectRoot, readManifest, recordedInput } from '../add/index.js';
import type { UpgradeArgs } from '../args.js';
import { UsageError } from '../errors.js';
import { manifestFile } from '../plan.js';
import { generatorVersion } from '../version.js';
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

/**
 * `create-sound-backend upgrade`: the project as the recorded version rendered it is the base of
 * every merge, this version's render of the same choices and resources is theirs (src/add/evolve.ts).
 */
export async function upgrade(args: UpgradeArgs, ctx: AddContext): Promise<number> {
  const root = projectRoot(args, ctx);
  checkFlags(args);

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
    (args.json ? ctx.stderr : ctx.stdout).write(
      `upgrade: up to date, create-sound-backend ${version} made the project; nothing changed. To bring in a newer one: npx create-sound-backend@latest upgrade\n`,
    );
    if (args.json) ctx.stdout.write(`${JSON.stringify({ dir: root, upgrade: version, changes: [] }, null, 2)}\n`);
    return 0;
  }
  const manifest = readManifest(root);
  const recordedProject = recordedInput(root, manifest);

  // 2. The base: the project as that version rendered it; then the shared merge and write.
  const files = await renderOldVersion({ version: recorded, root }, { from: args.from, cwd: ctx.cwd });
  const base = { files: new Map([...files].map(([file, content]) => [file, { content }])) };
  return evolve(
    {
      command: 'upgrade',
      what: `${recorded} → ${version}`,
      root,
      manifest,
      before: recordedProject,
      after: recordedProject,
      base,
      flags: args,
    },
    ctx,
  );
}
