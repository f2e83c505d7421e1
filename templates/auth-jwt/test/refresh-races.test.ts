import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signUp, TEST_PASSWORD } from './helpers.js';

// A refresh token is used once. Reusing one revokes its whole family, and logging out does the
// same; neither may leave alive a token that a rotation running at that moment has just issued.
// Each round races the two on the database's connection pool, as two requests to two instances
// would race.
const ROUNDS = 12;

describe('refresh-token families under concurrent requests', () => {
  let app: FastifyInstance;
  const email = 'racer@example.com';
  beforeAll(async () => {
    // Every round is a burst of requests from one client: more than one window's limit.
    app = await buildTestApp({ env: { RATE_LIMIT_MAX: '10000' } });
    await signUp(app, email);
  });
  afterAll(() => app.close());

  const post = (url: string, payload: object) =>
    app.inject({ method: 'POST', url: `/v1/auth${url}`, payload });

  /** A new family: a login, then one rotation, so the family holds a revoked and a live token. */
  async function family(): Promise<{ revoked: string; live: string }> {
    const login = await post('/login', { email, password: TEST_PASSWORD });
    const revoked: string = login.json().refreshToken;
    const live: string = (await post('/refresh', { refreshToken: revoked })).json().refreshToken;
    return { revoked, live };
  }

  /** The tokens that still rotate, each tried once, newest first: a revoked one would revoke the rest. */
  async function survivors(tokens: string[]): Promise<string[]> {
    const alive = [];
    for (const token of tokens) {
      if ((await post('/refresh', { refreshToken: token })).statusCode === 200) alive.push(token);
    }
    return alive;
  }

  it('revokes the token a rotation issues while a stolen token is replayed', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { revoked, live } = await family();
      // The victim rotates while the thief replays the token it stole before that.
      const [rotation, replay] = await Promise.all([
        post('/refresh', { refreshToken: live }),
        post('/refresh', { refreshToken: revoked }),
      ]);
      expect(replay.statusCode).toBe(401);
      const issued = rotation.statusCode === 200 ? [rotation.json().refreshToken as string] : [];
      expect(await survivors([...issued, live]), `round ${round}`).toEqual([]);
    }
  });

  it('revokes the token a rotation issues while the family logs out', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { live } = await family();
      const [rotation, logout] = await Promise.all([
        post('/refresh', { refreshToken: live }),
        post('/logout', { refreshToken: live }),
      ]);
      expect(logout.statusCode).toBe(204);
      const issued = rotation.statusCode === 200 ? [rotation.json().refreshToken as string] : [];
      expect(await survivors([...issued, live]), `round ${round}`).toEqual([]);
    }
  });
});
