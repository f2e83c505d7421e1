import type { Feature } from './feature.js';

/** Email + password accounts, HS256 access tokens (jose, verified tokens kept until they expire) and rotating opaque refresh tokens. */
export const authJwt: Feature = {
  id: 'auth-jwt',
  dependencies: ['jose', 'lru-cache'],
  env: [
    {
      name: 'JWT_SECRET',
      value: '',
      comment: 'HS256 signing secret, at least 32 characters; required in production (empty: a random one per start)',
    },
    { name: 'JWT_ACCESS_TTL', value: '15m', comment: 'Access token lifetime (s, m, h or d)' },
    { name: 'JWT_REFRESH_TTL', value: '7d', comment: 'Refresh token lifetime (s, m, h or d)' },
    { name: 'AUTH_RATE_LIMIT_MAX', value: '10', comment: 'Register and login attempts per window per client' },
  ],
};
