import { describe, expect, it } from 'vitest';
import { formatJson } from '../../src/json.js';

describe('formatJson', () => {
  it('prints short scalar arrays inline and objects one key a line', () => {
    expect(formatJson({ a: ['x', 'y'], b: { c: 1 }, d: [] })).toBe(
      '{\n  "a": ["x", "y"],\n  "b": {\n    "c": 1\n  },\n  "d": []\n}\n',
    );
  });

  it('breaks an array that would pass 80 columns', () => {
    const long = Array.from({ length: 8 }, (_, index) => `dependency-${index}`);
    expect(formatJson({ list: long })).toBe(
      `{\n  "list": [\n${long.map((item) => `    "${item}"`).join(',\n')}\n  ]\n}\n`,
    );
  });

  it('round-trips', () => {
    const value = { name: 'a', nested: [{ x: [1, 2] }, null, true], empty: {} };
    expect(JSON.parse(formatJson(value))).toEqual(value);
  });
});
