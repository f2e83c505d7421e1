import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_TYPE, AUDIENCE, ISSUER } from '../src/modules/auth/tokens.js';
import { buildTestApp, expectProblem, signUp, TEST_JWT_SECRET } from './helpers.js';

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

describe('access tokens the API refuses with 401', () => {
  let app: FastifyInstance;
  let userId: string;
  let valid: string;
  beforeAll(async () => {
    app = await buildTestApp();
    const user = await signUp(app);
    valid = user.accessToken;
    userId = JSON.parse(Buffer.from(valid.split('.')[1] ?? '', 'base64url').toString()).sub;
  });
  afterAll(() => app.close());

  /** A token like the API's own, with the given changes, signed with `secret`. */
  const forge = (
    changes: { header?: object; claims?: object; secret?: string } = {},
  ): Promise<string> =>
    new SignJWT({
      sub: userId,
      iss: ISSUER,
      aud: AUDIENCE,
      iat: now(),
      exp: now() + 600,
      ...changes.claims,
    })
      .setProtectedHeader({ alg: 'HS256', typ: ACCESS_TOKEN_TYPE, ...changes.header })
      .sign(new TextEncoder().encode(changes.secret ?? TEST_JWT_SECRET));

  const call = (authorization?: string) =>
    app.inject({ url: '/v1/items', headers: authorization ? { authorization } : {} });

  it('accepts the forge baseline, so each refusal below is for its one change', async () => {
    expect((await call(`Bearer ${await forge()}`)).statusCode).toBe(200);
    expect((await call(`Bearer ${valid}`)).statusCode).toBe(200);
  });

  const cases: [string, () => Promise<string>][] = [
    ['no Authorization header', async () => ''],
    ['another scheme', async () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['a malformed token', async () => 'Bearer not.a.jwt'],
    [
      'alg none',
      async () =>
        `Bearer ${encode({ alg: 'none', typ: ACCESS_TOKEN_TYPE })}.${valid.split('.')[1]}.`,
    ],
    ['an expired token', async () => `Bearer ${await forge({ claims: { exp: now() - 60 } })}`],
    [
      'a not-yet-valid token',
      async () => `Bearer ${await forge({ claims: { nbf: now() + 3600 } })}`,
    ],
    [
      'another key',
      async () => `Bearer ${await forge({ secret: 'another-secret-of-at-least-32-characters' })}`,
    ],
    [
      'a tampered payload',
      async () => {
        const [header, , signature] = valid.split('.');
        const payload = encode({
          sub: randomUUID(),
          iss: ISSUER,
          aud: AUDIENCE,
          iat: now(),
          exp: now() + 600,
        });
        return `Bearer ${header}.${payload}.${signature}`;
      },
    ],
    ['a wrong issuer', async () => `Bearer ${await forge({ claims: { iss: 'someone-else' } })}`],
    ['a wrong audience', async () => `Bearer ${await forge({ claims: { aud: 'another-api' } })}`],
    ['no subject', async () => `Bearer ${await forge({ claims: { sub: undefined } })}`],
    ['a token of another type', async () => `Bearer ${await forge({ header: { typ: 'JWT' } })}`],
    ['another HMAC algorithm', async () => `Bearer ${await forge({ header: { alg: 'HS512' } })}`],
    [
      'a key reference in the header (jku)',
      async () => `Bearer ${await forge({ header: { jku: 'https://evil.example/jwks.json' } })}`,
    ],
    [
      'an embedded key (jwk)',
      async () => `Bearer ${await forge({ header: { jwk: { kty: 'oct', k: 'AAAA' } } })}`,
    ],
    [
      'a certificate URL (x5u)',
      async () => `Bearer ${await forge({ header: { x5u: 'https://evil.example/c' } })}`,
    ],
  ];

  for (const [what, token] of cases) {
    it(`refuses ${what}`, async () => {
      const response = await call(await token());
      const problem = expectProblem(response, 401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(JSON.stringify(problem)).not.toMatch(/jose|JWS|JWT[A-Z]|signature verification/);
    });
  }
});
