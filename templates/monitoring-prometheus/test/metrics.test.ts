import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from './helpers.js';

describe('/metrics', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp({ env: { RATE_LIMIT_MAX: '1' } });
  });
  afterAll(() => app.close());

  it('labels request durations by route pattern, never by raw URL', async () => {
    const { id } = (
      await app.inject({ method: 'POST', url: '/v1/items', payload: { name: 'm' } })
    ).json();
    await app.inject(`/v1/items/${id}`);
    await app.inject('/random/path/8d1c6a3e');

    const response = await app.inject('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.body;
    expect(text).toMatch(
      /http_request_duration_seconds_bucket\{le="[^"]+",method="POST",route="\/v1\/items",status_code="201"\}/,
    );
    expect(text).toContain('route="/v1/items/:id"');
    expect(text).not.toContain(id);
    expect(text).not.toContain('8d1c6a3e');
    expect(text).not.toContain('route="/metrics"');
    expect(text).toContain('process_cpu_seconds_total');
  });

  it('is never rate limited and is documented', async () => {
    for (let i = 0; i < 3; i++) expect((await app.inject('/metrics')).statusCode).toBe(200);
    expect(Object.keys((await app.inject('/docs/json')).json().paths)).toContain('/metrics');
  });
});
