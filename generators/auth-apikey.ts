import { authShared } from './auth.js';
import { authServicePrincipal } from './auth-service-principal.js';
import { type Feature, importsAt, type SnippetData } from './feature.js';

const withoutBearer = (data: SnippetData) => !data.has.authBearer;

/** API keys in the `x-api-key` header: random, stored as SHA-256 hashes, revocable, owned. */
export const authApikey: Feature = {
  id: 'auth-apikey',
  // The keys stay in the monolith: a service made by extract trusts the principal it signs.
  inService: authServicePrincipal,
  signsForServices: true,
  scripts: {
    'apikey:create': 'node scripts/apikey.js create',
    'apikey:revoke': 'node scripts/apikey.js revoke',
  },
  uses: [authShared],
  storedScopes: true,
  securitySchemes: {
    apiKeyAuth: {
      type: 'apiKey',
      in: 'header',
      name: 'x-api-key',
      description: 'A key from npm run apikey:create (never in the query string)',
    },
  },
  snippets: [
    ...importsAt('appImports', [
      "import { createApiKeyRepository } from './modules/api-keys/repository.js';",
      "import { createApiKeyVerifier } from './modules/api-keys/verifier.js';",
    ]),
    {
      place: 'authenticateOptions',
      order: 20,
      text: '    verifyApiKey: createApiKeyVerifier(createApiKeyRepository(fastify.database.db), fastify.log),',
    },
    // The tests sign in with a bearer token when the project also accepts one.
    { place: 'testHelperImports', import: "import { randomUUID } from 'node:crypto';", when: withoutBearer },
    {
      place: 'testHelperImports',
      import: "import { createApiKeyRepository } from '../src/modules/api-keys/repository.js';",
      when: withoutBearer,
    },
    { place: 'testHelpers', order: 30, template: 'test-sign-in.ts.hbs', when: withoutBearer },
    {
      place: 'testHelpers',
      order: 40,
      template: 'test-sign-in-writer.ts.hbs',
      when: (data) => withoutBearer(data) && data.has.writeScopes === true,
    },
  ],
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
