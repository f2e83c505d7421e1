import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';

export const TEST_ISSUER = 'https://id.test.example/';
export const TEST_AUDIENCE = 'https://api.test.example';

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

/** A new key pair (EC keys are made in a millisecond; RSA ones block for a while), unpublished. */
export async function makeKey(alg = 'ES256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicKey, publicJwk };
}

/**
 * A stand-in for an OpenID provider, on a local port for the test file that imports it: it
 * serves its JSON Web Key Set and signs tokens with its keys. No remote server is ever asked.
 */
async function startIdentityProvider() {
  let keys = [await makeKey()];
  let fetches = 0;
  const server = createServer((request, response) => {
    if (request.url !== '/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    fetches += 1;
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ keys: keys.map((key) => key.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // It serves until the test process ends, and does not keep it alive.
  server.unref();
  const { port } = server.address() as AddressInfo;

  return {
    jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
    /** How many times the JWKS was fetched. */
    get fetches() {
      return fetches;
    },
    get currentKey(): SigningKey {
      return keys[0] as SigningKey;
    },
    /** Publishes `key` beside the others, as a provider does when it rotates keys. */
    publish(key: SigningKey) {
      keys = [key, ...keys];
    },
    /** A valid token for a new subject unless `claims` say otherwise, signed with `key`. */
    async sign(
      claims: JWTPayload = {},
      options: { key?: SigningKey; header?: Record<string, unknown> } = {},
    ): Promise<string> {
      const key = options.key ?? (keys[0] as SigningKey);
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        sub: randomUUID(),
        iss: TEST_ISSUER,
        aud: TEST_AUDIENCE,
        iat: now,
        exp: now + 600,
        ...claims,
      })
        .setProtectedHeader({ alg: key.alg, kid: key.kid, ...options.header })
        .sign(key.privateKey);
    },
  };
}

export type IdentityProvider = Awaited<ReturnType<typeof startIdentityProvider>>;

export const identityProvider: IdentityProvider = await startIdentityProvider();
