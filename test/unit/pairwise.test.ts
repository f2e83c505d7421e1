import { describe, expect, it } from 'vitest';
import { choiceKinds, valuesOf } from '../../src/catalogue.js';
import {
  bareCombination,
  catalogueDimensions,
  catalogueMatrix,
  defaultCombination,
  flagsOf,
  labelOf,
  refusal,
  refusedExamples,
} from '../matrix/catalogue-matrix.js';
import { type Combination, type Dimension, levelKey, pairsOf, pairwise, product } from '../matrix/pairwise.js';

/** What a set misses: pairs and levels no combination of it holds. */
function missing(dimensions: Dimension[], combinations: Combination[], pairs: string[]) {
  const held = new Set(combinations.flatMap((combination) => pairsOf(dimensions, combination)));
  const levels = new Set(
    combinations.flatMap((combination) => combination.map((level, i) => levelKey(dimensions[i]?.kind ?? '', level))),
  );
  return {
    pairs: pairs.filter((pair) => !held.has(pair)),
    levels: dimensions.flatMap((dimension) =>
      dimension.levels.map((level) => levelKey(dimension.kind, level)).filter((key) => !levels.has(key)),
    ),
  };
}

describe('pairwise', () => {
  const dimensions: Dimension[] = [
    { kind: 'a', levels: [['1'], ['2'], ['3']] },
    { kind: 'b', levels: [['x'], ['y'], ['z']] },
    { kind: 'c', levels: [['p'], ['q'], ['p', 'q'], ['none']] },
    { kind: 'd', levels: [['on'], ['off']] },
  ];
  // A rule like the tool's: c=q never with a=1.
  const isValid = (combination: Combination) => !(combination[0]?.includes('1') && combination[2]?.includes('q'));

  it('covers every pair that a valid combination can hold, and every level, with far fewer than the product', () => {
    const set = pairwise(dimensions, isValid);
    expect(missing(dimensions, set.combinations, set.pairs)).toEqual({ pairs: [], levels: [] });
    expect(set.combinations.every(isValid)).toBe(true);
    expect(set.refusedPairs).toEqual(['a=1 × c=q']);
    expect(set.combinations.length).toBeLessThanOrEqual(12);
    expect([...product(dimensions)].length).toBe(72);
  });

  it('misses pairs when a combination is taken away, so the check above can fail', () => {
    const set = pairwise(dimensions, isValid);
    const fewer = set.combinations.slice(1);
    expect(
      missing(dimensions, fewer, set.pairs).pairs.length + missing(dimensions, fewer, set.pairs).levels.length,
    ).toBeGreaterThan(0);
  });

  it('is deterministic and starts from its seeds', () => {
    const seed = [['2'], ['z'], ['none'], ['off']];
    const first = pairwise(dimensions, isValid, [seed]);
    expect(first.combinations[0]).toEqual(seed);
    expect(pairwise(dimensions, isValid, [seed])).toEqual(first);
  });
});

describe('the catalogue matrix', () => {
  const dimensions = catalogueDimensions();
  const set = catalogueMatrix();

  it('has a level for every catalogue value, and every value but none together for a list kind', () => {
    expect(dimensions.map((dimension) => dimension.kind)).toEqual(choiceKinds);
    for (const dimension of dimensions) {
      const values = valuesOf(dimension.kind as (typeof choiceKinds)[number]);
      expect(dimension.levels.flat()).toEqual(expect.arrayContaining(values));
    }
    const monitoring = dimensions.find((dimension) => dimension.kind === 'monitoring');
    expect(monitoring?.levels).toContainEqual(valuesOf('monitoring').filter((value) => value !== 'none'));
  });

  it('starts with the default project and the bare one, and covers every valid pair and every level', () => {
    expect(set.combinations.slice(0, 2)).toEqual([defaultCombination(), bareCombination()]);
    expect(labelOf(bareCombination())).toBe('db=sqlite auth=none cache=none monitoring=none deploy=none ci=none');
    expect(missing(dimensions, set.combinations, set.pairs)).toEqual({ pairs: [], levels: [] });
    for (const combination of set.combinations) expect(refusal(flagsOf(combination))).toBeUndefined();
  });

  it('leaves out exactly the pairs the tool refuses', () => {
    expect(set.refusedPairs).toEqual(['db=sqlite × deploy=kubernetes']);
    expect(refusal(['--db', 'sqlite', '--deploy', 'kubernetes'])).toMatch(/--deploy kubernetes needs a database/);
  });

  it('has one refused example for each rule, each refused by the tool with its reason', () => {
    const examples = refusedExamples();
    expect(examples.map((example) => example.rule)).toEqual(
      expect.arrayContaining(['--db takes one value', '--auth none with another value', 'combination']),
    );
    for (const example of examples) expect(example.reason).toBe(refusal(example.flags));
    expect(examples.filter((example) => example.rule === 'combination')).toHaveLength(1);
  });
});
