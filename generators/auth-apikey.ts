import { authShared } from './auth.js';
import type { Feature } from './feature.js';

/** API keys in the `x-api-key` header: random, stored as SHA-256 hashes, revocable, owned. */
export const authApikey: Feature = {
  id: 'auth-apikey',
  scripts: {
    'apikey:create': 'node scripts/apikey.js create',
    'apikey:revoke': 'node scripts/apikey.js revoke',
  },
  uses: [authShared],
  securitySchemes: {
    apiKeyAuth: {
      type: 'apiKey',
      in: 'header',
      name: 'x-api-key',
      description: 'A key from npm run apikey:create (never in the query string)',
    },
  },
};
