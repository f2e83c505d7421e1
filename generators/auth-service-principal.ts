import { authShared } from './auth.js';
import { type ConfigSchema, type Feature, importsAt, type SnippetData } from './feature.js';

const withoutBearer = (data: SnippetData) => !data.has.authBearer;

/** The service's copy of the monolith's `<MODULE>_SERVICE_SECRET`, which extract writes into its .env. */
export const monolithSecret = 'MONOLITH_SECRET';

/**
 * The schema of the secret that signs API-key callers, on both sides: the monolith's
 * `<MODULE>_SERVICE_SECRET` and the service's MONOLITH_SECRET hold one value.
 */
export function signingSecretSchema(comment: string): ConfigSchema {
  return {
    type: 'string',
    minLength: 32,
    description: 'a secret of at least 32 characters',
    comment,
    redacted: true,
    example: {
      value: 'a-shared-secret-of-at-least-32-characters',
      loaded: 'a-shared-secret-of-at-least-32-characters',
    },
    rejects: 'too-short-secret',
  };
}

/**
 * API keys in a service made by `extract`: the keys and their table stay in the monolith, which
 * checks a caller's key and calls the service with the principal it proves in a signed header
 * (`x-sound-principal`, an HMAC-SHA256 under a secret both share). The service verifies the
 * signature and takes the principal as it is: the owner of a row is its id, as in the monolith.
 */
export const authServicePrincipal: Feature = {
  id: 'auth-service-principal',
  uses: [authShared],
  env: [
    {
      name: monolithSecret,
      value: '',
      comment:
        "The monolith's <MODULE>_SERVICE_SECRET, the same value: it signs the principal of each caller it checked by API key",
      secret: true,
      devSecret: true,
      schema: signingSecretSchema(
        "No default: the service trusts a principal only when the monolith's secret signed it.",
      ),
      readme: {
        meaning:
          "the monolith's `<MODULE>_SERVICE_SECRET`, the same value, at least 32 characters: it signs the principals of API-key callers; **required**",
        default: "none; in `.env`, the monolith's, written by extract",
      },
    },
  ],
  securitySchemes: {
    signedPrincipal: {
      type: 'apiKey',
      in: 'header',
      name: 'x-sound-principal',
      description: 'The principal the monolith signs for its API-key callers, with x-sound-signature',
    },
  },
  compose: {
    environment: {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own interpolation, left for compose.
      MONOLITH_SECRET: '${MONOLITH_SECRET:?set MONOLITH_SECRET to the same value as the monolith}',
    },
  },
  snippets: [
    { place: 'appImports', import: "import { createServicePrincipalVerifier } from './lib/service-principal.js';" },
    {
      place: 'authenticateOptions',
      order: 20,
      text: '    verifyServicePrincipal: createServicePrincipalVerifier(config.MONOLITH_SECRET),',
    },
    {
      place: 'testHelperImports',
      import: "import { TEST_MONOLITH_SECRET } from './monolith-principals.js';",
    },
    { place: 'testConfigEnv', text: '    MONOLITH_SECRET: TEST_MONOLITH_SECRET,' },
    // The tests sign in with a bearer token when the service also accepts one.
    ...importsAt('testHelperImports', [
      "import { randomUUID } from 'node:crypto';",
      "import { principalHeader, signRequests } from './monolith-principals.js';",
    ]).map((snippet) => ({ ...snippet, when: withoutBearer })),
    { place: 'testHelpers', order: 30, template: 'test-sign-in.ts.hbs', when: withoutBearer },
    {
      place: 'testHelpers',
      order: 40,
      template: 'test-sign-in-writer.ts.hbs',
      when: (data) => withoutBearer(data) && data.has.writeScopes === true,
    },
  ],
  tests: [
    {
      place: 'shutdownServerEnv',
      text: "      // Required at start; /slow authenticates no one, so it verifies nothing.\n      MONOLITH_SECRET: 'a-shared-secret-of-at-least-32-characters',",
    },
  ],
  readme: [
    { place: 'readmeStack', order: 22, text: ", the monolith's API-key callers, in a signed header" },
    {
      place: 'readmeRunEnv',
      text: "# .env came with extract: .env.example plus the monolith's secret (MONOLITH_SECRET); git ignores it",
    },
    {
      place: 'readmeDeploy',
      order: 22,
      when: (data) => data.has.deployDocker === true,
      text: 'export MONOLITH_SECRET="<the monolith <MODULE>_SERVICE_SECRET>"   # with another, every API-key caller is refused here',
    },
    {
      place: 'readmeReplicas',
      order: 21,
      text: "- **`MONOLITH_SECRET` is the monolith's, on every replica**: with another, its API-key callers are refused.",
    },
    {
      place: 'readmeCredentials',
      order: 30,
      text: (data) =>
        `${data.has.authBearer ? ' or ' : ''}\`x-api-key: <key>\` at the monolith, which calls here with \`x-sound-principal\``,
    },
    { place: 'readmeAuth', order: 30, template: 'readme-auth.md.hbs' },
    {
      place: 'readmeSecurity',
      order: 20,
      text: "`src/lib/service-principal.ts` (the monolith's signed principals: HMAC-SHA256 over method, path, time and principal, constant-time compare, 60 s window), ",
    },
    {
      place: 'readmeLayoutLib',
      text: '  lib/service-principal.ts the principals the monolith signs for its API-key callers',
    },
  ],
};
