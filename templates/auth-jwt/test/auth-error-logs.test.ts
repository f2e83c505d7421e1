import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { type Fault, hideTable, refuseWrites } from './faults.js';
import { buildTestApp, captureLogs, signUp, TEST_PASSWORD } from './helpers.js';

// Register and login failing on the database: the error is logged, the credentials are not.
describe('a failed query of register or login in the logs', () => {
  const logs = captureLogs();
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp({ env: { LOG_LEVEL: 'info' }, logStream: logs.stream });
  });
  afterAll(() => app.close());

  const email = 'ada.lovelace@example.com';

  async function postDuring(fault: Fault, url: string) {
    onTestFinished(fault.undo);
    logs.lines.length = 0;
    const payload = { email, password: TEST_PASSWORD };
    const response = await app.inject({ method: 'POST', url, payload });
    expect(response.statusCode).toBeGreaterThanOrEqual(500);
    const text = logs.text();
    for (const secret of [email, TEST_PASSWORD, 'scrypt$']) expect(text).not.toContain(secret);
    // No SHA-256 in hex: a refresh token's stored hash.
    expect(text).not.toMatch(/[0-9a-f]{64}/);
    for (const shown of fault.logged) expect(text).toMatch(shown);
  }

  it('register: an insert refused with the email and password hash quoted in the error', async () => {
    const fault = await refuseWrites(app, 'users', ['email', 'password_hash']);
    await postDuring(fault, '/v1/auth/register');
  });

  it('register: a query on a missing table', async () => {
    await postDuring(await hideTable(app, 'users'), '/v1/auth/register');
  });

  it('login: a refresh token insert refused with its hash quoted in the error', async () => {
    await signUp(app, email);
    await postDuring(await refuseWrites(app, 'refresh_tokens', ['token_hash']), '/v1/auth/login');
  });

  it('login: a query on a missing table', async () => {
    await postDuring(await hideTable(app, 'users'), '/v1/auth/login');
  });
});
