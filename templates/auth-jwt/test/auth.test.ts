import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refreshTokens, users } from '../src/db/schema.js';
import { hashPassword } from '../src/modules/auth/passwords.js';
import {
  buildTestApp,
  expectProblem,
  signUp,
  TEST_PASSWORD,
  type TestAppOptions,
} from './helpers.js';

const post = (app: FastifyInstance, url: string, payload: object) =>
  app.inject({ method: 'POST', url: `/v1/auth${url}`, payload });

// Equal problems but for the fields that differ on every request.
const stable = (problem: Record<string, unknown>) => {
  const { requestId: _requestId, ...rest } = problem;
  return rest;
};

describe('/v1/auth', () => {
  let app: FastifyInstance;
  const lines: string[] = [];
  const build = (options: TestAppOptions = {}) =>
    buildTestApp({
      env: { LOG_LEVEL: 'info', ...options.env },
      logStream: new Writable({
        write(chunk, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    });
  beforeEach(async () => {
    lines.length = 0;
    app = await build();
  });
  afterEach(() => app.close());

  it('registers, logs in, refreshes and logs out', async () => {
    const registered = await post(app, '/register', {
      email: 'Ada@Example.com',
      password: TEST_PASSWORD,
    });
    expect(registered.statusCode).toBe(202);
    expect(Object.keys(registered.json())).toEqual(['message']);

    const login = await post(app, '/login', { email: 'ada@example.com', password: TEST_PASSWORD });
    expect(login.statusCode).toBe(200);
    expect(login.headers['cache-control']).toBe('no-store');
    const pair = login.json();
    expect(Object.keys(pair).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken']);
    expect(pair.expiresIn).toBe(15 * 60);
    const items = await app.inject({
      url: '/v1/items',
      headers: { authorization: `Bearer ${pair.accessToken}` },
    });
    expect(items.statusCode).toBe(200);

    const refreshed = await post(app, '/refresh', { refreshToken: pair.refreshToken });
    expect(refreshed.statusCode).toBe(200);
    const next = refreshed.json();
    expect(next.refreshToken).not.toBe(pair.refreshToken);
    expect(next.accessToken).not.toBe(pair.accessToken);

    expect((await post(app, '/logout', { refreshToken: next.refreshToken })).statusCode).toBe(204);
    expectProblem(await post(app, '/refresh', { refreshToken: next.refreshToken }), 401);
  });

  it('refuses a weak password and an invalid email with 400', async () => {
    const weak = expectProblem(
      await post(app, '/register', { email: 'a@example.com', password: 'short-pass1' }),
      400,
    );
    expect(weak.errors).toEqual([expect.objectContaining({ path: 'body/password' })]);
    const email = expectProblem(
      await post(app, '/register', { email: 'not-an-email', password: TEST_PASSWORD }),
      400,
    );
    expect(email.errors).toEqual([expect.objectContaining({ path: 'body/email' })]);
    expectProblem(
      await post(app, '/register', {
        email: 'a@example.com',
        password: TEST_PASSWORD,
        isAdmin: true,
      }),
      400,
    );
  });

  it('documents bearer access tokens, and the auth routes as public', async () => {
    const document = (await app.inject('/docs/json')).json();
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(document.security).toContainEqual({ bearerAuth: [] });
    for (const action of ['register', 'login', 'refresh', 'logout']) {
      expect(document.paths[`/v1/auth/${action}`].post.security).toEqual([]);
    }
    expect(document.paths['/v1/auth/register'].post.responses).toHaveProperty('202');
    expect(document.paths['/v1/auth/register'].post.responses).not.toHaveProperty('409');
    expect(document.paths['/v1/auth/login'].post.responses).toHaveProperty('401');
  });

  it('answers a taken email as a new one, and the account keeps its password', async () => {
    await signUp(app, 'dup@example.com');
    const fresh = await post(app, '/register', {
      email: 'new@example.com',
      password: TEST_PASSWORD,
    });
    const taken = await post(app, '/register', {
      email: 'DUP@example.com',
      password: 'another long password',
    });
    expect(taken.statusCode).toBe(fresh.statusCode);
    expect(taken.json()).toEqual(fresh.json());
    expect(taken.headers['content-type']).toBe(fresh.headers['content-type']);
    // The account is not taken over: its own password still works, the new one does not.
    const login = (password: string) => post(app, '/login', { email: 'dup@example.com', password });
    expect((await login(TEST_PASSWORD)).statusCode).toBe(200);
    expectProblem(await login('another long password'), 401);
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    await signUp(app, 'known@example.com');
    const wrong = await post(app, '/login', {
      email: 'known@example.com',
      password: 'x'.repeat(12),
    });
    const unknown = await post(app, '/login', {
      email: 'nobody@example.com',
      password: 'x'.repeat(12),
    });
    const a = expectProblem(wrong, 401);
    const b = expectProblem(unknown, 401);
    expect(stable(a)).toEqual(stable(b));
    expect(a.detail).toBe('The email or password is incorrect');
  });

  it('revokes the whole family when a rotated refresh token is reused', async () => {
    const { refreshToken: first } = await signUp(app);
    const second = (await post(app, '/refresh', { refreshToken: first })).json().refreshToken;
    const third = (await post(app, '/refresh', { refreshToken: second })).json().refreshToken;

    // An attacker replays the first token: refused, and the family is revoked ...
    expectProblem(await post(app, '/refresh', { refreshToken: first }), 401);
    // ... so the newest token, held by the legitimate client, stops working too.
    expectProblem(await post(app, '/refresh', { refreshToken: third }), 401);

    // Another login is a new family, unaffected.
    const login = await post(app, '/login', { email: 'user@example.com', password: TEST_PASSWORD });
    expect(
      (await post(app, '/refresh', { refreshToken: login.json().refreshToken })).statusCode,
    ).toBe(200);
  });

  it('deletes expired refresh tokens at the next login or rotation', async () => {
    await app.close();
    app = await build({ env: { JWT_REFRESH_TTL: '1s' } });
    const user = await signUp(app);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const rows = () =>
      app.database.db.select().from(refreshTokens).where(eq(refreshTokens.userId, user.id));
    expect(await rows()).toHaveLength(1);
    const login = await post(app, '/login', { email: user.email, password: TEST_PASSWORD });
    expect(await rows()).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(
      (await post(app, '/refresh', { refreshToken: login.json().refreshToken })).statusCode,
    ).toBe(401);
    expect(await rows()).toHaveLength(0);
  });

  it("hashes at OWASP's cost outside tests, and rehashes a cheaper hash at login", async () => {
    await app.close();
    app = await build({ env: { NODE_ENV: 'production' } });
    const user = await signUp(app);
    const stored = async () =>
      (await app.database.db.select().from(users).where(eq(users.id, user.id)))[0]?.passwordHash;
    expect(await stored()).toMatch(/^scrypt\$16384\$8\$5\$/);
    // An account made before the cost was raised.
    const cheaper = await hashPassword(TEST_PASSWORD, { N: 2 ** 14, r: 8, p: 1 });
    await app.database.db.update(users).set({ passwordHash: cheaper }).where(eq(users.id, user.id));
    const credentials = { email: user.email, password: TEST_PASSWORD };
    expect((await post(app, '/login', credentials)).statusCode).toBe(200);
    expect(await stored()).toMatch(/^scrypt\$16384\$8\$5\$/);
    expect((await post(app, '/login', credentials)).statusCode).toBe(200);
  });

  it('refuses an access token used as a refresh token, and the other way round', async () => {
    const user = await signUp(app);
    expectProblem(await post(app, '/refresh', { refreshToken: user.accessToken }), 401);
    expectProblem(await post(app, '/logout', { refreshToken: user.accessToken }), 401);
    const asBearer = await app.inject({
      url: '/v1/items',
      headers: { authorization: `Bearer ${user.refreshToken}` },
    });
    expectProblem(asBearer, 401);
  });

  it('writes no password or token to the logs', async () => {
    const user = await signUp(app);
    await post(app, '/refresh', { refreshToken: user.refreshToken });
    await post(app, '/login', { email: user.email, password: 'wrong password!!' });
    await app.inject({ url: '/v1/items', headers: user.headers });
    const output = lines.join('');
    expect(output).toContain('request completed');
    for (const secret of [TEST_PASSWORD, 'wrong password!!', user.accessToken, user.refreshToken]) {
      expect(output).not.toContain(secret);
    }
  });

  it('limits register and login more tightly than the rest of the API', async () => {
    const limited = await build({ env: { AUTH_RATE_LIMIT_MAX: '3', RATE_LIMIT_MAX: '100' } });
    const attempt = () =>
      post(limited, '/login', { email: 'victim@example.com', password: 'guess-guess-guess' });
    for (let i = 0; i < 3; i++) expectProblem(await attempt(), 401);
    const blocked = expectProblem(await attempt(), 429);
    expect(blocked.status).toBe(429);
    expect(Number((await attempt()).headers['retry-after'])).toBeGreaterThan(0);
    // The global limit is far from reached: other routes still answer.
    expect((await limited.inject('/v1/items')).statusCode).toBe(401);
    await limited.close();
  });
});
