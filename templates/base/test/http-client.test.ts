import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from 'typebox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient, retryAfterMs, UpstreamError } from '../src/lib/http-client.js';
import { buildTestApp, expectProblem } from './helpers.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

// An upstream that fails on purpose: each test queues the answers it wants, in order.
describe('outbound HTTP client', () => {
  const answers: Handler[] = [];
  const seen: { method: string; at: number }[] = [];
  const upstream = createServer((request, response) => {
    seen.push({ method: request.method ?? '', at: performance.now() });
    const answer = answers.shift() ?? ((_, res) => res.writeHead(500).end());
    // One connection per request: what a test checks is the client's retries, never whether
    // fetch reused a connection the upstream was closing at that moment.
    response.setHeader('connection', 'close');
    request.resume();
    answer(request, response);
  });
  let baseUrl = '';
  beforeAll(async () => {
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    baseUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    upstream.closeAllConnections();
    upstream.close();
  });
  beforeEach(() => {
    answers.length = 0;
    seen.length = 0;
  });

  const status =
    (code: number, headers: Record<string, string> = {}, body = ''): Handler =>
    (_, res) =>
      res.writeHead(code, headers).end(body);
  const json = (value: unknown) =>
    status(200, { 'content-type': 'application/json' }, JSON.stringify(value));
  const hangUp: Handler = (request) => request.socket.destroy();
  const never: Handler = () => {};
  const client = (overrides = {}) =>
    createHttpClient({ baseUrl, timeoutMs: 200, backoffMs: 20, ...overrides });

  it('retries a GET after 503 and after a dropped connection', async () => {
    answers.push(status(503), hangUp, json({ ok: true }));
    const response = await client().request('/thing');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(seen).toHaveLength(3);
  });

  it('honours Retry-After on 429, for any method', async () => {
    answers.push(status(429, { 'retry-after': '1' }), status(201));
    const response = await client().request('/things', { method: 'POST', body: '{}' });
    expect(response.status).toBe(201);
    const [first, second] = seen.map((request) => request.at);
    expect(Number(second) - Number(first)).toBeGreaterThanOrEqual(950);
  });

  it('does not wait for a Retry-After beyond its limit', async () => {
    answers.push(status(503, { 'retry-after': '120' }));
    expect((await client().request('/thing')).status).toBe(503);
    expect(seen).toHaveLength(1);
  });

  it('never resends a POST that may have reached the upstream', async () => {
    answers.push(hangUp, json({}));
    const posted = client().request('/things', { method: 'POST', body: '{}' });
    await expect(posted).rejects.toMatchObject({ statusCode: 502 });
    expect(seen).toHaveLength(1);
  });

  it('times out each attempt and answers 504 when every attempt did', async () => {
    answers.push(never, never, never);
    const started = performance.now();
    const error = await client({ retries: 2 })
      .request('/slow')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ statusCode: 504 });
    expect(seen).toHaveLength(3);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('opens the circuit after consecutive failures, fails fast, and probes again later', async () => {
    const breaking = client({ retries: 0, failuresToOpen: 3, probeAfterMs: 300 });
    answers.push(status(500), status(500), status(500));
    for (let i = 0; i < 3; i++) expect((await breaking.request('/x')).status).toBe(500);
    await expect(breaking.request('/x')).rejects.toMatchObject({ statusCode: 503 });
    expect(seen).toHaveLength(3);

    await sleep(350);
    answers.push(json({ back: true }));
    expect((await breaking.request('/x')).status).toBe(200);
    expect(seen).toHaveLength(4);
  });

  it('validates JSON before use: a malformed or unexpected answer is a 502', async () => {
    const Quote = Type.Object({ rate: Type.Number() });
    answers.push(json({ rate: 1.1 }), status(200, {}, '{not json'), json({ rate: 'high' }));
    expect(await client().getJson('/quote', Quote)).toEqual({ rate: 1.1 });
    await expect(client().getJson('/quote', Quote)).rejects.toMatchObject({ statusCode: 502 });
    await expect(client().getJson('/quote', Quote)).rejects.toMatchObject({ statusCode: 502 });
  });

  it('only ever calls its configured origin', async () => {
    for (const path of ['http://169.254.169.254/latest', '//evil.example/x']) {
      await expect(client().request(path)).rejects.toThrow('is not on');
    }
    expect(seen).toHaveLength(0);
  });

  it('turns a failing upstream into a problem response of a route that uses it', async () => {
    const upstreamClient = client({ retries: 0 });
    const app = await buildTestApp({
      extend: (instance) => {
        instance.get('/quote', async () =>
          upstreamClient.getJson('/quote', Type.Object({ rate: Type.Number() })),
        );
      },
    });
    answers.push(status(200, {}, '<html>oops</html>'));
    const problem = expectProblem(await app.inject('/quote'), 502);
    expect(JSON.stringify(problem)).not.toContain('oops');
    await app.close();
  });
});

describe('retryAfterMs', () => {
  it('reads delay-seconds and HTTP dates, and ignores anything else', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
