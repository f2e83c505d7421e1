import { Writable } from 'node:stream';
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

  it("logs an id of its own for every request, with the caller's beside it", async () => {
    const lines: Record<string, unknown>[] = [];
    const logged = await buildTestApp({
      env: { LOG_LEVEL: 'info' },
      logStream: new Writable({
        write(chunk, _encoding, done) {
          lines.push(JSON.parse(chunk.toString()));
          done();
        },
      }),
    });
    // Two callers that picked the same id.
    const headers = { 'x-request-id': 'same-id' };
    await logged.inject({ url: '/nowhere', headers });
    await logged.inject({ url: '/nowhere', headers });
    await logged.close();
    const access = lines.filter((line) => line.clientRequestId === 'same-id');
    expect(access).toHaveLength(2);
    expect(access[0]?.reqId).toMatch(UUID);
    expect(access[1]?.reqId).toMatch(UUID);
    expect(access[0]?.reqId).not.toBe(access[1]?.reqId);
  });
});
