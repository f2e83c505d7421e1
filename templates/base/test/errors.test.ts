import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, expectProblem } from './helpers.js';

const json = { 'content-type': 'application/json' };

describe('error responses are RFC 9457 problems', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp({
      env: { BODY_LIMIT: '1024' },
      extend: (instance) => {
        instance.get('/boom', async () => {
          throw new Error('SELECT secret FROM users WHERE password = 1');
        });
      },
    });
  });
  afterAll(() => app.close());

  const post = (payload: string, headers: Record<string, string> = json) =>
    app.inject({ method: 'POST', url: '/v1/items', payload, headers });

  it('400 on malformed JSON', async () => {
    expectProblem(await post('{"name": '), 400);
  });

  it('400 naming an unknown property instead of dropping it', async () => {
    const problem = expectProblem(await post('{"name":"a","isAdmin":true}'), 400);
    expect(problem.errors).toEqual([
      { path: 'body/isAdmin', message: 'must NOT have additional properties' },
    ]);
  });

  it('400 on __proto__ and constructor properties', async () => {
    expectProblem(await post('{"name":"a","__proto__":{"isAdmin":true}}'), 400);
    expectProblem(await post('{"name":"a","constructor":{"prototype":{"isAdmin":true}}}'), 400);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('400 with the failing field on a validation error', async () => {
    const problem = expectProblem(await app.inject('/v1/items?limit=101'), 400);
    expect(problem.errors).toEqual([{ path: 'querystring/limit', message: 'must be <= 100' }]);
  });

  it('4xx on deeply nested JSON', async () => {
    const depth = 400;
    const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const response = await post(`{"name":"deep","description":${nested}}`);
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expectProblem(response, response.statusCode);
  });

  it('404 on an unknown route and an undeclared method', async () => {
    expectProblem(await app.inject('/no/such/route'), 404);
    expectProblem(await app.inject({ method: 'TRACE', url: '/v1/items' }), 404);
    expectProblem(await app.inject({ method: 'PUT', url: '/health/live' }), 404);
  });

  it('413 over BODY_LIMIT', async () => {
    expectProblem(await post(JSON.stringify({ name: 'x'.repeat(2000) })), 413);
  });

  it('415 on a content type the route does not accept', async () => {
    expectProblem(
      await post('name=a', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
    );
  });

  it('masks a 5xx: no message, SQL or stack in the body', async () => {
    const response = await app.inject('/boom');
    const problem = expectProblem(response, 500);
    expect(problem.detail).toBe('An unexpected error occurred.');
    expect(response.body).not.toMatch(/SELECT|secret|password|at .*\.ts|stack/i);
  });
});
