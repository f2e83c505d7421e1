import { describe, expect, it } from 'vitest';
import { type ConfigError, loadConfig } from '../src/config.js';

// test/config.test.ts checks JWT_SECRET's length and the token lifetimes with every other
// variable; here, what happens without a secret.
describe('JWT_SECRET', () => {
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      return (error as ConfigError).problems;
    }
  };

  it('is required in production, with at least 32 characters', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'JWT_SECRET: required when NODE_ENV=production (at least 32 characters)',
    ]);
    expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(31) })).toHaveLength(1);
    expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).toEqual([]);
  });

  it('is made up at each start outside production', () => {
    expect(loadConfig({}).JWT_SECRET).toMatch(/^.{32,}$/);
    expect(loadConfig({}).JWT_SECRET).not.toBe(loadConfig({}).JWT_SECRET);
  });
});
