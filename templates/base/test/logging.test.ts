import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from './helpers.js';

describe('logs', () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  let app: FastifyInstance;

  beforeAll(async () => {
    app = await buildTestApp({
      env: { LOG_LEVEL: 'info' },
      logStream: stream,
      // A handler that carelessly logs everything it received.
      extend: (instance) => {
        instance.post('/careless', async (request) => {
          request.log.info({ headers: request.headers, body: request.body }, 'received');
          return { ok: true };
        });
      },
    });
  });
  afterAll(() => app.close());

  it('redacts credentials and secrets wherever they appear', async () => {
    lines.length = 0;
    await app.inject({
      method: 'POST',
      url: '/careless',
      headers: { authorization: 'Bearer sekret-bearer', cookie: 'sid=sekret-cookie' },
      payload: {
        password: 'sekret-password',
        nested: { token: 'sekret-token', deeper: { apiKey: 'sekret-key' } },
        refreshToken: 'sekret-refresh',
        tokens: { accessToken: 'sekret-access' },
      },
    });
    const output = lines.join('\n');
    expect(output).toContain('received');
    expect(output).not.toMatch(/sekret/);
    expect(output).toContain('[redacted]');
  });

  it('writes exactly one JSON access line per request, with reqId', async () => {
    lines.length = 0;
    const ok = await app.inject({ url: '/health/live', headers: { 'x-request-id': 'req-one' } });
    const missing = await app.inject({ url: '/nope', headers: { 'x-request-id': 'req-two' } });
    expect([ok.statusCode, missing.statusCode]).toEqual([200, 404]);

    const entries = lines.map((line) => JSON.parse(line));
    const access = entries.filter((entry) => entry.msg === 'request completed');
    expect(access).toHaveLength(2);
    expect(access[0]).toMatchObject({
      reqId: 'req-one',
      method: 'GET',
      url: '/health/live',
      statusCode: 200,
    });
    expect(access[1]).toMatchObject({ reqId: 'req-two', statusCode: 404 });
    expect(typeof access[0].responseTime).toBe('number');
    expect(entries.every((entry) => entry.msg === 'request completed')).toBe(true);
  });
});
