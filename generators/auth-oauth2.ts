import { authBearer } from './auth.js';
import { type Feature, importsAt } from './feature.js';

/** An OAuth2 resource server: bearer JWTs from an OpenID provider, verified against its JWKS with jose. */
export const authOauth2: Feature = {
  id: 'auth-oauth2',
  dependencies: ['jose'],
  env: [
    {
      name: 'OIDC_ISSUER',
      value: 'https://id.example.com/',
      comment: 'The `iss` every accepted token carries (the OpenID provider), exactly as it writes it',
      schema: {
        type: 'string',
        minLength: 1,
        description: 'the issuer of your OpenID provider, exactly as its tokens carry it in iss',
        comment: 'No defaults: the service cannot guess which provider it trusts.',
      },
      readme: {
        meaning: "the `iss` of your OpenID provider's tokens, exactly as written there; **required**",
        default: 'none',
      },
    },
    {
      name: 'OIDC_AUDIENCE',
      value: 'https://api.example.com',
      comment: 'The `aud` a token must name: this API',
      schema: { type: 'string', minLength: 1, description: 'the audience (aud) that tokens for this API carry' },
      readme: { meaning: 'the `aud` a token for this API carries; **required**', default: 'none' },
    },
    {
      name: 'OIDC_JWKS_URL',
      value: 'https://id.example.com/.well-known/jwks.json',
      comment: "The provider's JSON Web Key Set (its discovery document's jwks_uri)",
      schema: {
        type: 'string',
        pattern: '^https?://.+$',
        description: 'the URL of the JSON Web Key Set of your OpenID provider',
        rejects: 'file:///etc/passwd',
      },
      readme: {
        meaning: "your provider's JSON Web Key Set (`jwks_uri` of its discovery document); **required**",
        default: 'none',
      },
    },
  ],
  uses: [authBearer],
  itemsDeleteScope: 'items:write',
  // A bearer JWT, not `openIdConnect`: this API only verifies tokens, and the provider's
  // discovery URL would be one more setting for the document alone. RFC 8725 is the JWT best
  // current practice: asymmetric algorithms only, issuer, audience and lifetime checked.
  securitySchemes: {
    bearerAuth: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'An access token from the OpenID provider, verified as RFC8725 advises',
    },
  },
  compose: {
    environment: {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own interpolation, left for compose.
      OIDC_ISSUER: '${OIDC_ISSUER:?set OIDC_ISSUER to your OpenID provider}',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own interpolation, left for compose.
      OIDC_AUDIENCE: '${OIDC_AUDIENCE:?set OIDC_AUDIENCE to the audience of this API}',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own interpolation, left for compose.
      OIDC_JWKS_URL: '${OIDC_JWKS_URL:?set OIDC_JWKS_URL to the JWKS of your OpenID provider}',
    },
  },
  snippets: [
    { place: 'appImports', import: "import { createOidcVerifier } from './lib/oidc.js';" },
    {
      place: 'authenticateOptions',
      order: 10,
      text: `    verifyBearer: createOidcVerifier({
      issuer: config.OIDC_ISSUER,
      audience: config.OIDC_AUDIENCE,
      jwksUrl: config.OIDC_JWKS_URL,
    }),`,
    },
    ...importsAt('testHelperImports', [
      "import { randomUUID } from 'node:crypto';",
      "import { identityProvider, TEST_AUDIENCE, TEST_ISSUER } from './identity-provider.js';",
    ]),
    {
      place: 'testConfigEnv',
      text: `    // The OpenID provider this test file runs on a local port (test/identity-provider.ts).
    OIDC_ISSUER: TEST_ISSUER,
    OIDC_AUDIENCE: TEST_AUDIENCE,
    OIDC_JWKS_URL: identityProvider.jwksUrl,`,
    },
    { place: 'testHelpers', order: 30, template: 'test-sign-in.ts.hbs' },
    {
      place: 'testHelpers',
      order: 40,
      template: 'test-sign-in-writer.ts.hbs',
      when: (data) => data.has.writeScopes === true,
    },
  ],
  readme: [
    { place: 'readmeStack', order: 21, text: ', OAuth2 bearer tokens from your OpenID provider' },
    {
      place: 'readmeDeploy',
      order: 22,
      when: (data) => data.has.deployDocker === true,
      text: "# compose refuses to start without these three: your OpenID provider and this API's audience\nexport OIDC_ISSUER=https://id.example.com/ OIDC_AUDIENCE=https://api.example.com\nexport OIDC_JWKS_URL=https://id.example.com/.well-known/jwks.json",
    },
    { place: 'readmeDeleteItem', text: '; an OAuth2 token needs the `items:write` scope (`403` without it)' },
    { place: 'readmeCredentials', order: 20, text: '`Authorization: Bearer <token of your provider>`' },
    { place: 'readmeAuth', order: 40, template: 'readme-auth.md.hbs' },
    { place: 'readmeAuthErrors', order: 20, text: '| 403 | a token without the scope a route needs |' },
    {
      place: 'readmeSecurity',
      order: 30,
      text: '`src/lib/oidc.ts` (JWKS-verified tokens, asymmetric algorithms only, issuer, audience and lifetime checked, scopes), ',
    },
    {
      place: 'readmeLayoutLib',
      text: "  lib/oidc.ts          OAuth2 bearer tokens verified against the provider's JWKS",
    },
  ],
  tests: [
    {
      place: 'shutdownServerEnv',
      text: "      // Required at start; /slow authenticates no one, so the provider is never asked.\n      OIDC_ISSUER: 'https://id.test.example/',\n      OIDC_AUDIENCE: 'https://api.test.example',\n      OIDC_JWKS_URL: 'http://127.0.0.1:9/jwks.json',",
    },
  ],
};
