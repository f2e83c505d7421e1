import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { ACCESS_TOKEN_TYPE, AUDIENCE, ISSUER } from '../src/lib/access-tokens.js';

/** The monolith's JWT_SECRET in the tests, so they can sign its tokens (and hostile ones). */
export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-characters-long';

const now = () => Math.floor(Date.now() / 1000);

/**
 * An access token as the monolith's login signs it, for one of its users (this service has
 * none); with `changes`, a token the service must refuse.
 */
export function signMonolithToken(
  userId: string,
  changes: { header?: object; claims?: object; secret?: string } = {},
): Promise<string> {
  return new SignJWT({
    sub: userId,
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now(),
    exp: now() + 600,
    jti: randomUUID(),
    ...changes.claims,
  })
    .setProtectedHeader({ alg: 'HS256', typ: ACCESS_TOKEN_TYPE, ...changes.header })
    .sign(new TextEncoder().encode(changes.secret ?? TEST_JWT_SECRET));
}
