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
  readme: [
    { place: 'readmeStack', order: 22, text: ', API keys' },
    {
      place: 'readmeCredentials',
      order: 30,
      text: (data) => `${data.has.authBearer ? ' or ' : ''}\`x-api-key: <key>\``,
    },
    { place: 'readmeAuth', order: 30, template: 'readme-auth.md.hbs' },
    {
      place: 'readmeSchema',
      order: 21,
      when: (data) => !data.has.authJwt,
      text: ', unique key prefix, an index on the key owner',
    },
    {
      place: 'readmeSecurity',
      order: 20,
      text: '`src/modules/api-keys/` (random keys stored as SHA-256 hashes, constant-time compare, revocable), ',
    },
    {
      place: 'readmeLayoutModules',
      order: 20,
      text: '  modules/api-keys/    key format and hashing, storage, verifier, apikey:create/revoke\n  apikey.ts            `apikey:create` / `apikey:revoke` entry point',
    },
  ],
};
