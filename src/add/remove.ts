import { checkAuthKept } from '../access.js';
import type { RemoveArgs } from '../args.js';
import { type ChoiceKind, choiceKinds, choices, removeExamples, type Stack, valuesOf } from '../catalogue.js';
import { UsageError } from '../errors.js';
import { checkCombination, chosenValues, hasAuth } from '../options.js';
import { evolve } from './evolve.js';
import { type AddContext, checkFlags, projectRoot, readManifest, recordedInput } from './index.js';

/**
 * `remove <kind>=<value>` takes one value out of a list kind, `remove <kind>` empties a kind that
 * can be empty (the same as `add <kind>=none`); the rest is `add`'s pipeline.
 */

const usage = `Expected kind=value or a kind, e.g. remove ${removeExamples.listValue}, remove ${removeExamples.tableValue}, remove ${removeExamples.kind}.`;

/** The choices after taking out each `kind=value` or `kind`; one the project does not have stays out. */
export function removedStack(stack: Stack, specs: readonly string[]): Stack {
  const next: Record<string, string | string[]> = { ...stack };
  for (const given of specs) {
    // A bare value names its kind when only one kind has it: `remove <value>` is `remove <kind>=<value>`.
    const owners = choiceKinds.filter((kind) => valuesOf(kind).includes(given));
    const spec =
      !given.includes('=') && !(choiceKinds as string[]).includes(given) && owners.length === 1
        ? `${owners[0]}=${given}`
        : given;
    const [kind = '', value] = spec.split('=', 2);
    if (!(choiceKinds as string[]).includes(kind)) {
      throw new UsageError(`Unknown kind "${kind}" in ${spec}: valid kinds are ${choiceKinds.join(', ')}. ${usage}`);
    }
    const kindSpec = choices[kind as ChoiceKind];
    if (value !== undefined && (value === 'none' || !valuesOf(kind as ChoiceKind).includes(value))) {
      const valid = valuesOf(kind as ChoiceKind).filter((each) => each !== 'none');
      throw new UsageError(`Invalid ${kind} value "${value}" in ${spec}: valid values are ${valid.join(', ')}.`);
    }
    if (!valuesOf(kind as ChoiceKind).includes('none')) {
      throw new UsageError(
        `Every project has a ${kind}: switch it with add ${kind}=<value> (${valuesOf(kind as ChoiceKind).join(', ')}).`,
      );
    }
    const current = chosenValues(next[kind]);
    // Already gone: nothing to do, as a second identical remove finds it.
    if (value !== undefined && !current.includes(value)) continue;
    const left = value === undefined ? [] : current.filter((item) => item !== value);
    next[kind] = kindSpec.multiple ? (left.length > 0 ? left : ['none']) : 'none';
  }
  return next as Stack;
}

export async function remove(args: RemoveArgs, ctx: AddContext): Promise<number> {
  const root = projectRoot(args, ctx);
  checkFlags(args);
  if (args.positionals.length === 0) throw new UsageError(`Nothing to remove. ${usage}`);
  if (args.positionals[0] === 'resource') {
    throw new UsageError(
      'remove resource is not supported: a resource owns a table and its data. Delete its module by hand.',
    );
  }
  const manifest = readManifest(root);
  const before = recordedInput(root, manifest);
  const after = { ...before, stack: removedStack(before.stack, args.positionals) };
  const what = args.positionals.join(' ');
  if (JSON.stringify(after.stack) === JSON.stringify(before.stack)) {
    const has = choiceKinds.map((kind) => `${kind} ${[before.stack[kind]].flat().join(',')}`).join('; ');
    (args.json ? ctx.stderr : ctx.stdout).write(
      `remove ${what}: nothing to do, the project does not have it (${has}).\n`,
    );
    return 0;
  }
  checkCombination(after.stack);
  checkAuthKept(after.resources ?? [], hasAuth(after.stack), `remove ${what}`);
  return evolve({ command: 'remove', what, root, manifest, before, after, flags: args }, ctx);
}
