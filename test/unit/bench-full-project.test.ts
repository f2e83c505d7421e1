import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { choiceKinds, choices, valuesOf } from '../../src/catalogue.js';
import { refusal } from '../matrix/catalogue-matrix.js';

// npm run bench measures the full-option project from this preset: it must keep up with the catalogue.
describe('bench/full-project.json', () => {
  const preset = JSON.parse(readFileSync(new URL('../../bench/full-project.json', import.meta.url), 'utf8'));

  it('picks every value but none of each kind that takes a list, and a choice of every other kind', () => {
    for (const kind of choiceKinds) {
      if (choices[kind].multiple) expect(preset[kind]).toEqual(valuesOf(kind).filter((value) => value !== 'none'));
      else expect(valuesOf(kind)).toContain(preset[kind]);
    }
  });

  it('is a combination the tool accepts', () => {
    const flags = choiceKinds.flatMap((kind) => [`--${kind}`, [preset[kind]].flat().join(',')]);
    expect(refusal(flags)).toBeUndefined();
  });
});
