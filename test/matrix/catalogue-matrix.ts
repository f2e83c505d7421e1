import { parseCreateArgs } from '../../src/args.js';
import { type ChoiceKind, choiceKinds, choices, valuesOf } from '../../src/catalogue.js';
import { CliError } from '../../src/errors.js';
import { checkCombination, requestedOptions, withDefaults } from '../../src/options.js';
import { type Combination, type Dimension, type PairwiseSet, pairwise, product } from './pairwise.js';

/**
 * The matrix levels of each catalogue kind: every value alone and, for a kind that takes a
 * list, every value but `none` together (the full-option project), so new values are covered
 * as soon as they are in `src/catalogue.ts`. When the tool refuses them all together (`--auth
 * jwt,oauth2` both read a Bearer token), each set of all but one that it accepts is a level.
 */
export function catalogueDimensions(): Dimension[] {
  return choiceKinds.map((kind) => {
    const values = valuesOf(kind);
    const levels = values.map((value) => [value]);
    return { kind, levels: choices[kind].multiple ? [...levels, ...togetherLevels(kind)] : levels };
  });
}

/** The values of a list kind but `none` together, or each accepted set of all but one of them. */
function togetherLevels(kind: ChoiceKind): string[][] {
  const together = valuesOf(kind).filter((value) => value !== 'none');
  if (together.length < 2) return [];
  if (acceptedBesideAny(kind, together)) return [together];
  return together
    .map((left) => together.filter((value) => value !== left))
    .filter((set) => set.length > 1 && acceptedBesideAny(kind, set));
}

/** Whether the tool takes these values of a kind beside some value of another (Kubernetes needs a database server). */
function acceptedBesideAny(kind: ChoiceKind, set: readonly string[]): boolean {
  return choiceKinds
    .filter((other) => other !== kind)
    .some((other) =>
      valuesOf(other).some((value) => refusal([`--${kind}`, set.join(','), `--${other}`, value]) === undefined),
    );
}

/** The command-line flags that ask for a combination: `--db postgres --auth jwt,apikey …`. */
export function flagsOf(combination: Combination): string[] {
  return choiceKinds.flatMap((kind, index) => [`--${kind}`, (combination[index] ?? []).join(',')]);
}

/** `--db postgres --auth jwt` as a short label for tables. */
export function labelOf(combination: Combination): string {
  return choiceKinds.map((kind, index) => `${kind}=${(combination[index] ?? []).join(',')}`).join(' ');
}

/**
 * Why the tool refuses these flags, or undefined when it accepts them: the command line's own
 * parsing and validation, run without writing anything.
 */
export function refusal(flags: readonly string[]): string | undefined {
  try {
    const requested = requestedOptions(parseCreateArgs(['app', ...flags]), {}, {});
    checkCombination(withDefaults(requested.stack));
    return undefined;
  } catch (error) {
    if (error instanceof CliError && error.exitCode === 2) return error.message;
    throw error;
  }
}

/** The default project as a combination: the first of every matrix. */
export function defaultCombination(): Combination {
  const stack = withDefaults({});
  return choiceKinds.map((kind) => {
    const value: string | readonly string[] = stack[kind];
    return typeof value === 'string' ? [value] : [...value];
  });
}

/** Every optional part off: `none` wherever the catalogue offers it, the default elsewhere. */
export function bareCombination(): Combination {
  return defaultCombination().map((level, index) => {
    const kind = choiceKinds[index] as ChoiceKind;
    return valuesOf(kind).includes('none') ? ['none'] : level;
  });
}

/** The pairwise set of the catalogue: the default project first, then the bare one, then the greedy picks. */
export function catalogueMatrix(): PairwiseSet {
  return pairwise(catalogueDimensions(), (combination) => refusal(flagsOf(combination)) === undefined, [
    defaultCombination(),
    bareCombination(),
  ]);
}

export interface RefusedExample {
  rule: string;
  flags: string[];
  /** The message the tool gives, as its own validation words it. */
  reason: string;
}

/**
 * One refused example of each rule the tool enforces on choices: `none` with another value of a
 * list kind, two values for a single-value kind, and each distinct refusal among the matrix levels
 * (such as Kubernetes with an embedded database).
 */
export function refusedExamples(): RefusedExample[] {
  const examples: RefusedExample[] = [];
  const add = (rule: string, flags: string[]) => {
    const reason = refusal(flags);
    if (reason === undefined) throw new Error(`The tool accepts ${flags.join(' ')}, expected it to refuse (${rule})`);
    examples.push({ rule, flags, reason });
  };
  for (const kind of choiceKinds) {
    const values = valuesOf(kind as ChoiceKind);
    const other = values.find((value) => value !== 'none');
    if (choices[kind].multiple && values.includes('none') && other !== undefined) {
      add(`--${kind} none with another value`, [`--${kind}`, `${other},none`]);
    }
    if (!choices[kind].multiple && values.length > 1) {
      add(`--${kind} takes one value`, [`--${kind}`, values.slice(0, 2).join(',')]);
    }
  }
  for (const kind of choiceKinds) {
    const together = valuesOf(kind).filter((value) => value !== 'none');
    if (choices[kind].multiple && together.length > 1 && !acceptedBesideAny(kind, together)) {
      add(`--${kind} values that exclude each other`, [`--${kind}`, together.join(',')]);
    }
  }
  const seen = new Set<string>();
  for (const combination of product(catalogueDimensions())) {
    const flags = flagsOf(combination);
    const reason = refusal(flags);
    if (reason !== undefined && !seen.has(reason)) {
      seen.add(reason);
      examples.push({ rule: 'combination', flags, reason });
    }
  }
  return examples;
}
