import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { choiceKinds, choices, valuesOf } from '../../src/catalogue.js';
import { catalogueDimensions, refusal } from '../matrix/catalogue-matrix.js';

// npm run bench measures the full-option project from this preset: it must keep up with the catalogue.
describe('bench/full-project.json', () => {
  const preset = JSON.parse(readFileSync(new URL('../../bench/full-project.json', import.meta.url), 'utf8'));

  it('picks the most values the tool accepts together of each kind that takes a list, and a choice of every other kind', () => {
    for (const kind of choiceKinds) {
      if (choices[kind].multiple)
        expect(catalogueDimensions().find((d) => d.kind === kind)?.levels).toContainEqual(preset[kind]);
      else expect(valuesOf(kind)).toContain(preset[kind]);
    }
  });

  it('is a combination the tool accepts', () => {
    const flags = choiceKinds.flatMap((kind) => [`--${kind}`, [preset[kind]].flat().join(',')]);
    expect(refusal(flags)).toBeUndefined();
  });
});
