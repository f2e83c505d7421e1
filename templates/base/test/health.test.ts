import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, expectProblem } from './helpers.js';

describe('health probes', () => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await buildTestApp();
  });
  afterEach(() => app.close());

  it('reports liveness', async () => {
    const response = await app.inject('/health/live');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('reports readiness with each dependency', async () => {
    const response = await app.inject('/health/ready');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', checks: { database: 'ok' } });
  });

  it('is not ready, but still live, when the database is unavailable', async () => {
    await app.database.close();
    const ready = await app.inject('/health/ready');
    const problem = expectProblem(ready, 503);
    expect(problem.detail).toContain('database');
    expect(problem.checks).toEqual({ database: 'fail' });
    expect(ready.headers['retry-after']).toBeDefined();
    expect((await app.inject('/health/live')).statusCode).toBe(200);
  });
});
