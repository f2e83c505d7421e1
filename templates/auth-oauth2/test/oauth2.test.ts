import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { exportSPKI, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp, expectProblem } from './helpers.js';
import { identityProvider, makeKey, TEST_AUDIENCE, TEST_ISSUER } from './identity-provider.js';

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
// Nothing in a refusal may say which check failed, or name the library that made it.
const LEAKS = /jose|JWS|JWT[A-Z]|JWKS|signature|kid|claim/;

describe('OAuth2 bearer tokens', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  const call = (
    authorization?: string,
    method: 'GET' | 'POST' | 'DELETE' = 'GET',
    url = '/v1/items',
  ) =>
    app.inject({
      method,
      url,
      payload: method === 'POST' ? { name: randomUUID() } : undefined,
      headers: authorization ? { authorization } : {},
    });
  const bearer = async (claims = {}, options = {}) =>
    `Bearer ${await identityProvider.sign(claims, options)}`;

  it('accepts a token of the provider, within a few seconds of clock skew', async () => {
    expect((await call(await bearer())).statusCode).toBe(200);
    expect((await call(await bearer({ exp: now() - 2 }))).statusCode).toBe(200);
    expect((await call(await bearer({ nbf: now() + 2 }))).statusCode).toBe(200);
  });

  const cases: [string, () => Promise<string>][] = [
    ['no Authorization header', async () => ''],
    ['another scheme', async () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['a malformed token', async () => 'Bearer not.a.jwt'],
    ['an expired token', () => bearer({ exp: now() - 60 })],
    ['a not-yet-valid token', () => bearer({ nbf: now() + 3600 })],
    ['a wrong issuer', () => bearer({ iss: 'https://evil.example/' })],
    ['a wrong audience', () => bearer({ aud: 'https://another-api.example' })],
    ['no subject', () => bearer({ sub: undefined })],
    [
      'alg none',
      async () => {
        const payload = (await identityProvider.sign()).split('.')[1];
        return `Bearer ${encode({ alg: 'none', typ: 'JWT' })}.${payload}.`;
      },
    ],
    [
      'HS256 signed with the public key (algorithm confusion)',
      async () => {
        const { currentKey } = identityProvider;
        const pem = await exportSPKI(currentKey.publicKey);
        const token = await new SignJWT({
          sub: randomUUID(),
          iss: TEST_ISSUER,
          aud: TEST_AUDIENCE,
          exp: now() + 600,
        })
          .setProtectedHeader({ alg: 'HS256', kid: currentKey.kid })
          .sign(new TextEncoder().encode(pem));
        return `Bearer ${token}`;
      },
    ],
    [
      'a key the provider does not publish (unknown kid)',
      async () => bearer({}, { key: await makeKey() }),
    ],
    [
      'a tampered payload',
      async () => {
        const [header, , signature] = (await identityProvider.sign()).split('.');
        const payload = encode({
          sub: randomUUID(),
          iss: TEST_ISSUER,
          aud: TEST_AUDIENCE,
          exp: now() + 600,
        });
        return `Bearer ${header}.${payload}.${signature}`;
      },
    ],
    [
      'a key reference in the header (jku)',
      () => bearer({}, { header: { jku: 'https://evil.example/jwks.json' } }),
    ],
  ];

  for (const [what, token] of cases) {
    it(`refuses ${what} with 401`, async () => {
      const response = await call(await token());
      const problem = expectProblem(response, 401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(JSON.stringify(problem)).not.toMatch(LEAKS);
    });
  }

  it('fetches the key set again for a new kid, at most once per cooldown', async () => {
    expect((await call(await bearer())).statusCode).toBe(200);
    const before = identityProvider.fetches;
    // A flood of made-up kids is not a flood of requests to the provider.
    for (let i = 0; i < 5; i++) {
      expectProblem(await call(await bearer({}, { key: await makeKey() })), 401);
    }
    expect(identityProvider.fetches - before).toBeLessThanOrEqual(1);

    // The provider rotates: once the cooldown is over, a token of its new key is accepted.
    const rotated = await makeKey('RS256');
    identityProvider.publish(rotated);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 31_000 });
    const fetched = identityProvider.fetches;
    expect((await call(await bearer({}, { key: rotated }))).statusCode).toBe(200);
    expect(identityProvider.fetches).toBe(fetched + 1);
  });

  it('needs the items:write scope to delete an item (403 without it)', async () => {
    const sub = randomUUID();
    const reader = await bearer({ sub, scope: 'items:read' });
    const writer = await bearer({ sub, scope: 'openid items:write' });
    const created = await call(reader, 'POST');
    expect(created.statusCode).toBe(201);
    const url = `/v1/items/${created.json<{ id: string }>().id}`;
    const refused = expectProblem(await call(reader, 'DELETE', url), 403);
    expect(refused.detail).toBe('This needs the items:write scope');
    expect((await call(reader, 'GET', url)).statusCode).toBe(200);
    expect((await call(writer, 'DELETE', url)).statusCode).toBe(204);
  });

  it('documents bearer tokens and the 403 of a missing scope', async () => {
    const document = (await app.inject('/docs/json')).json();
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(document.security).toContainEqual({ bearerAuth: [] });
    expect(document.paths['/v1/items/{id}'].delete.responses).toHaveProperty('403');
  });

  it("answers 404 for another subject's item", async () => {
    const mine = await bearer({ scope: 'items:write' });
    const theirs = await bearer({ scope: 'items:write' });
    const url = `/v1/items/${(await call(mine, 'POST')).json<{ id: string }>().id}`;
    expectProblem(await call(theirs, 'GET', url), 404);
    expectProblem(await call(theirs, 'DELETE', url), 404);
    expect((await call(mine, 'GET', url)).statusCode).toBe(200);
  });

  it('answers 503, not 401, while the provider cannot be reached', async () => {
    // Port 9 (discard) on loopback: nothing listens, so the connection is refused at once.
    const offline = await buildTestApp({ env: { OIDC_JWKS_URL: 'http://127.0.0.1:9/jwks.json' } });
    const response = await offline.inject({
      url: '/v1/items',
      headers: { authorization: await bearer() },
    });
    const problem = expectProblem(response, 503);
    expect(JSON.stringify(problem)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|fetch/);
    await offline.close();
  });
});
