import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, expectProblem } from './helpers.js';

describe('rate limiting', async () => {
  const app = await buildTestApp({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' } });
  beforeAll(() => app.ready());
  afterAll(() => app.close());

  it('answers 429 with Retry-After once a client exceeds RATE_LIMIT_MAX', async () => {
    for (let i = 0; i < 3; i++) expect((await app.inject('/v1/items')).statusCode).toBe(200);
    const limited = await app.inject('/v1/items');
    expectProblem(limited, 429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('never throttles the health probes', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await app.inject('/health/live')).statusCode).toBe(200);
      expect((await app.inject('/health/ready')).statusCode).toBe(200);
    }
  });
});
