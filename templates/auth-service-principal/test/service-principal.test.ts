import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, expectProblem } from './helpers.js';
import { principalHeader, signatureHeader } from './monolith-principals.js';

const now = () => Math.floor(Date.now() / 1000);

/** The headers the monolith sends for a caller it checked by API key, for one request. */
function signedFor(method: string, url: string, principal: object) {
  const header = principalHeader(principal);
  return { ...header, ...signatureHeader(method, url, header['x-sound-principal']) };
}

const keyOwner = (id = randomUUID()) => ({ id, kind: 'apikey', scopes: [] });

describe('the principals the monolith signs for its API-key callers', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it("let a key's owner create and read rows; another owner's are 404", async () => {
    const owner = keyOwner();
    const created = await app.inject({
      method: 'POST',
      url: '/v1/items',
      headers: signedFor('POST', '/v1/items', owner),
      payload: { name: 'made by a key of the monolith' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json<{ id: string }>();
    const url = `/v1/items/${id}`;
    const read = await app.inject({ url, headers: signedFor('GET', url, owner) });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ id, name: 'made by a key of the monolith' });

    const other = keyOwner();
    expectProblem(await app.inject({ url, headers: signedFor('GET', url, other) }), 404);
    const list = await app.inject({
      url: '/v1/items',
      headers: signedFor('GET', '/v1/items', other),
    });
    expect(list.json()).toMatchObject({ items: [] });
  });

  /** Headers for GET /v1/items, with the one change the case is about. */
  const principal = principalHeader(keyOwner())['x-sound-principal'];
  const cases: [string, () => Record<string, string>][] = [
    ['no headers', () => ({})],
    ['a principal without a signature', () => ({ 'x-sound-principal': principal })],
    ['a signature without a principal', () => signatureHeader('GET', '/v1/items', principal)],
    [
      'a forged signature',
      () => ({
        'x-sound-principal': principal,
        'x-sound-signature': `t=${now()},v1=${'A'.repeat(43)}`,
      }),
    ],
    [
      'a malformed signature',
      () => ({ 'x-sound-principal': principal, 'x-sound-signature': 'not-a-signature' }),
    ],
    [
      'another secret than the monolith',
      () => ({
        'x-sound-principal': principal,
        ...signatureHeader('GET', '/v1/items', principal, {
          secret: 'another-secret-of-at-least-32-characters',
        }),
      }),
    ],
    [
      'an expired signature (two minutes old)',
      () => ({
        'x-sound-principal': principal,
        ...signatureHeader('GET', '/v1/items', principal, { timestamp: now() - 120 }),
      }),
    ],
    [
      'a signature from two minutes ahead',
      () => ({
        'x-sound-principal': principal,
        ...signatureHeader('GET', '/v1/items', principal, { timestamp: now() + 120 }),
      }),
    ],
    [
      'a tampered principal (another owner, the signature of the first)',
      () => ({
        ...signatureHeader('GET', '/v1/items', principal),
        ...principalHeader(keyOwner()),
      }),
    ],
    [
      'a signature for another method',
      () => ({
        'x-sound-principal': principal,
        ...signatureHeader('POST', '/v1/items', principal),
      }),
    ],
    [
      'a signature for another path',
      () => ({
        'x-sound-principal': principal,
        ...signatureHeader('GET', '/v1/items?limit=1', principal),
      }),
    ],
    [
      'a signed principal of another kind than an API key',
      () => signedFor('GET', '/v1/items', { id: randomUUID(), kind: 'user', scopes: [] }),
    ],
    [
      'a signed principal that is not JSON',
      () => {
        const garbage = Buffer.from('not json').toString('base64url');
        return { 'x-sound-principal': garbage, ...signatureHeader('GET', '/v1/items', garbage) };
      },
    ],
  ];

  for (const [what, headers] of cases) {
    it(`refuse ${what} with 401`, async () => {
      const response = await app.inject({ url: '/v1/items', headers: headers() });
      const problem = expectProblem(response, 401);
      expect(JSON.stringify(problem)).not.toMatch(/hmac|digest|timingSafeEqual/i);
    });
  }
});
