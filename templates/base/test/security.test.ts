import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from './helpers.js';

describe('security headers and CORS', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp({ env: { CORS_ORIGINS: 'https://app.example.com' } });
  });
  afterAll(() => app.close());

  it('sets the security headers of a JSON API and hides x-powered-by', async () => {
    const { headers } = await app.inject('/health/live');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-powered-by']).toBeUndefined();
  });

  it('lets the API docs page load its own scripts and styles', async () => {
    const { headers } = await app.inject('/docs/');
    expect(headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('is closed to an unknown origin', async () => {
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/v1/items',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await app.inject({
      url: '/v1/items',
      headers: { origin: 'https://evil.example' },
    });
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('is open to an allowed origin', async () => {
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/v1/items',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.com');
  });

  it('allows no cross-origin access when CORS_ORIGINS is empty', async () => {
    const closed = await buildTestApp();
    const response = await closed.inject({
      url: '/v1/items',
      headers: { origin: 'https://app.example.com' },
    });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    await closed.close();
  });
});
