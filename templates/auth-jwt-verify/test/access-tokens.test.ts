import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, expectProblem } from './helpers.js';
import { signMonolithToken } from './monolith-tokens.js';

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("the monolith's access tokens", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it("let a user known only to the monolith create and read rows; another's are 404", async () => {
    const userId = randomUUID();
    const token = await signMonolithToken(userId);
    const created = await app.inject({
      method: 'POST',
      url: '/v1/items',
      headers: bearer(token),
      payload: { name: 'made with a token of the monolith' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json<{ id: string }>();
    const read = await app.inject({ url: `/v1/items/${id}`, headers: bearer(token) });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ id, name: 'made with a token of the monolith' });

    const other = bearer(await signMonolithToken(randomUUID()));
    expectProblem(await app.inject({ url: `/v1/items/${id}`, headers: other }), 404);
    const list = await app.inject({ url: '/v1/items', headers: other });
    expect(list.json()).toMatchObject({ items: [] });
  });

  it('are all it accepts: it has no users, so no routes to register or log in', async () => {
    for (const route of ['register', 'login', 'refresh', 'logout']) {
      const response = await app.inject({ method: 'POST', url: `/v1/auth/${route}`, payload: {} });
      expect(response.statusCode).toBe(404);
    }
  });

  /** A token of a monolith user, with the one change the case is about. */
  const changed = (changes: Parameters<typeof signMonolithToken>[1]) => async () =>
    `Bearer ${await signMonolithToken(randomUUID(), changes)}`;

  const cases: [string, () => Promise<string>][] = [
    ['no Authorization header', async () => ''],
    ['a malformed token', async () => 'Bearer not.a.jwt'],
    [
      'alg none',
      async () => {
        const [, payload] = (await signMonolithToken(randomUUID())).split('.');
        return `Bearer ${encode({ alg: 'none', typ: 'at+jwt' })}.${payload}.`;
      },
    ],
    ['an expired token', changed({ claims: { exp: now() - 60 } })],
    [
      'another secret than the monolith',
      changed({ secret: 'another-secret-of-at-least-32-characters' }),
    ],
    [
      'a token of another issuer (a service signing its own)',
      changed({ claims: { iss: 'someone-else' } }),
    ],
    ['a wrong audience', changed({ claims: { aud: 'another-api' } })],
    ['no subject', changed({ claims: { sub: undefined } })],
    ['a token of another type', changed({ header: { typ: 'JWT' } })],
    [
      'a key reference in the header (jku)',
      changed({ header: { jku: 'https://evil.example/jwks.json' } }),
    ],
  ];

  for (const [what, token] of cases) {
    it(`refuse ${what} with 401`, async () => {
      const authorization = await token();
      const headers = authorization ? { authorization } : {};
      const response = await app.inject({ url: '/v1/items', headers });
      const problem = expectProblem(response, 401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(JSON.stringify(problem)).not.toMatch(/jose|JWS|JWT[A-Z]|signature verification/);
    });
  }
});
