import path from 'node:path';
import type { Writable } from 'node:stream';
import { projectRoot, readManifest, recordedInput } from '../add/index.js';
import type { RenderArgs } from '../args.js';
import { UsageError } from '../errors.js';
import { planProject } from '../plan.js';
import { generatorVersion } from '../version.js';
import { checkTarget, writeProject } from '../write.js';

/**
 * `create-sound-backend render <dir>`: the project a manifest records (choices, resources with
 * their fields, extracted modules, a service's identity), as this version renders it, written
 * into a new folder. Upgrade runs the version that made a project this way for its base: only
 * that version knows what it made of every record.
 */
export async function render(args: RenderArgs, ctx: { cwd: string; stdout: Writable }): Promise<number> {
  const root = projectRoot(args, ctx);
  if (args.to === undefined) {
    throw new UsageError('render needs the folder to write into: create-sound-backend render <dir> [--cwd <project>].');
  }
  const manifest = readManifest(root);
  const plan = planProject(recordedInput(root, manifest), generatorVersion());
  const target = path.resolve(ctx.cwd, args.to);
  checkTarget(target, plan, false);
  // Secrets are this folder's own: the same random ones create makes, never the project's.
  await writeProject(plan, target);
  ctx.stdout.write(`Rendered ${plan.data.name} as create-sound-backend ${generatorVersion()} makes it: ${target}\n`);
  return 0;
}
