import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from './helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('x-request-id', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('echoes a valid incoming id, on success and on errors', async () => {
    const headers = { 'x-request-id': 'trace-abc.123:x' };
    expect((await app.inject({ url: '/health/live', headers })).headers['x-request-id']).toBe(
      'trace-abc.123:x',
    );
    const missing = await app.inject({ url: '/nowhere', headers });
    expect(missing.headers['x-request-id']).toBe('trace-abc.123:x');
    expect(missing.json().requestId).toBe('trace-abc.123:x');
  });

  it('makes a new id when none is sent', async () => {
    const first = await app.inject('/health/live');
    const second = await app.inject('/health/live');
    expect(first.headers['x-request-id']).toMatch(UUID);
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
  });

  it('replaces an invalid incoming id', async () => {
    for (const bad of ['has space', 'x'.repeat(129), 'new\\nline', '<script>']) {
      const response = await app.inject({ url: '/health/live', headers: { 'x-request-id': bad } });
      expect(response.headers['x-request-id']).toMatch(UUID);
    }
  });
});
