/**
 * A pairwise (all-pairs) covering set, built greedily and deterministically.
 *
 * Each kind offers levels: one value alone, or (for a kind that takes a list) several values
 * together. A combination picks one level per kind. The set covers every level at least once and
 * every pair of values of two different kinds at least once, where a value inside a list level
 * counts as present: `--monitoring prometheus,elk --cache redis` covers prometheus × redis and
 * elk × redis. Combinations the validity check refuses are never picked; a pair that no valid
 * combination holds is reported as refused instead of covered.
 */

export interface Dimension {
  kind: string;
  /** Each level is the list of values it picks; a single-value kind has one value per level. */
  levels: readonly (readonly string[])[];
}

/** One level (the values it picks) per dimension, in dimension order. */
export type Combination = readonly string[][];

export interface PairwiseSet {
  combinations: Combination[];
  /** Every pair of values of different kinds that some valid combination holds, as keys. */
  pairs: string[];
  /** Pairs that no valid combination holds (a rule of the tool forbids them). */
  refusedPairs: string[];
}

export const pairKey = (kindA: string, valueA: string, kindB: string, valueB: string): string =>
  `${kindA}=${valueA} × ${kindB}=${valueB}`;

export const levelKey = (kind: string, level: readonly string[]): string => `${kind}=${level.join(',')}`;

/** The pairs of values of different kinds that a combination holds. */
export function pairsOf(dimensions: readonly Dimension[], combination: Combination): string[] {
  const pairs: string[] = [];
  for (let a = 0; a < dimensions.length; a++) {
    for (let b = a + 1; b < dimensions.length; b++) {
      for (const valueA of combination[a] ?? []) {
        for (const valueB of combination[b] ?? []) {
          pairs.push(pairKey(dimensions[a]?.kind ?? '', valueA, dimensions[b]?.kind ?? '', valueB));
        }
      }
    }
  }
  return pairs;
}

/** Every combination of levels, the first dimension varying slowest. */
export function* product(dimensions: readonly Dimension[], prefix: string[][] = []): Generator<string[][]> {
  const next = dimensions[prefix.length];
  if (next === undefined) {
    yield prefix;
    return;
  }
  for (const level of next.levels) yield* product(dimensions, [...prefix, [...level]]);
}

/**
 * Greedy covering: start from `seeds` (valid ones only), then repeatedly take the valid
 * combination that covers the most pairs and levels not covered yet; the first in product order
 * wins a tie, so the same catalogue always gives the same set.
 */
export function pairwise(
  dimensions: readonly Dimension[],
  isValid: (combination: Combination) => boolean,
  seeds: readonly Combination[] = [],
): PairwiseSet {
  const candidates = [...product(dimensions)].filter(isValid).map((combination) => ({
    combination,
    targets: [
      ...pairsOf(dimensions, combination),
      ...combination.map((level, index) => levelKey(dimensions[index]?.kind ?? '', level)),
    ],
  }));
  const everyPair = new Set<string>();
  for (let a = 0; a < dimensions.length; a++) {
    for (let b = a + 1; b < dimensions.length; b++) {
      const valuesA = new Set(dimensions[a]?.levels.flat());
      const valuesB = new Set(dimensions[b]?.levels.flat());
      for (const valueA of valuesA) {
        for (const valueB of valuesB)
          everyPair.add(pairKey(dimensions[a]?.kind ?? '', valueA, dimensions[b]?.kind ?? '', valueB));
      }
    }
  }
  const reachable = new Set(candidates.flatMap((candidate) => candidate.targets));
  const uncovered = new Set([...reachable]);
  const combinations: Combination[] = [];
  const take = (combination: Combination, targets: readonly string[]) => {
    combinations.push(combination);
    for (const target of targets) uncovered.delete(target);
  };
  for (const seed of seeds.filter(isValid))
    take(seed, [
      ...pairsOf(dimensions, seed),
      ...seed.map((level, index) => levelKey(dimensions[index]?.kind ?? '', level)),
    ]);
  while (uncovered.size > 0) {
    let best = candidates[0];
    let bestGain = 0;
    for (const candidate of candidates) {
      let gain = 0;
      for (const target of candidate.targets) if (uncovered.has(target)) gain++;
      if (gain > bestGain) {
        best = candidate;
        bestGain = gain;
      }
    }
    if (best === undefined || bestGain === 0) break;
    take(best.combination, best.targets);
  }
  return {
    combinations,
    pairs: [...everyPair].filter((pair) => reachable.has(pair)),
    refusedPairs: [...everyPair].filter((pair) => !reachable.has(pair)),
  };
}
