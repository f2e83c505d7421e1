import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { HttpProblem } from '../errors.js';
import { CredentialError, type Principal } from '../plugins/authenticate.js';

// Asymmetric only: with an HMAC algorithm allowed, a token signed with the provider's *public*
// key as the secret would pass (algorithm confusion).
export const ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];
// Headers that ask the verifier to fetch or trust a key chosen by the token itself.
const KEY_REFERENCE_HEADERS = ['jku', 'jwk', 'x5u', 'x5c'];
// The provider's clock and ours may differ by a few seconds.
const CLOCK_TOLERANCE_SECONDS = 5;

export interface OidcOptions {
  issuer: string;
  audience: string;
  jwksUrl: string;
}

const scopesOf = (payload: JWTPayload): string[] => {
  if (typeof payload.scope === 'string') return payload.scope.split(' ').filter(Boolean);
  // Some providers (Azure AD, Okta) send a list in `scp`.
  if (Array.isArray(payload.scp)) return payload.scp.filter((scope) => typeof scope === 'string');
  return [];
};

/**
 * Verifies bearer tokens from an OpenID provider: signature by a key of its JWKS, an
 * asymmetric algorithm, `iss`, `aud`, `exp` and `nbf`. jose keeps the key set in memory and
 * fetches it again only for a `kid` it does not know, at most once every 30 seconds, so a
 * flood of tokens naming made-up keys cannot turn into a flood of requests to the provider.
 */
export function createOidcVerifier(options: OidcOptions) {
  const keys = createRemoteJWKSet(new URL(options.jwksUrl), {
    timeoutDuration: 5_000,
    cooldownDuration: 30_000,
    cacheMaxAge: 10 * 60_000,
  });
  return async (token: string): Promise<Principal> => {
    try {
      const { payload, protectedHeader } = await jwtVerify(token, keys, {
        algorithms: ALGORITHMS,
        issuer: options.issuer,
        audience: options.audience,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'exp'],
      });
      if (KEY_REFERENCE_HEADERS.some((name) => name in protectedHeader)) {
        throw new CredentialError('The access token is invalid');
      }
      return { id: payload.sub as string, kind: 'oauth2', scopes: scopesOf(payload) };
    } catch (error) {
      if (error instanceof CredentialError) throw error;
      // The provider's keys could not be fetched: not the client's fault, and worth a retry.
      if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) {
        throw Object.assign(new HttpProblem(503, 'The identity provider cannot be reached'), {
          cause: error,
        });
      }
      throw new CredentialError(
        error instanceof errors.JWTExpired
          ? 'The access token has expired'
          : 'The access token is invalid',
      );
    }
  };
}
