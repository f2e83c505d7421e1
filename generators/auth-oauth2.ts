import { authBearer } from './auth.js';
import type { Feature } from './feature.js';

/** An OAuth2 resource server: bearer JWTs from an OpenID provider, verified against its JWKS with jose. */
export const authOauth2: Feature = {
  id: 'auth-oauth2',
  dependencies: ['jose'],
  env: [
    {
      name: 'OIDC_ISSUER',
      value: 'https://id.example.com/',
      comment: 'The `iss` every accepted token carries (the OpenID provider), exactly as it writes it',
    },
    { name: 'OIDC_AUDIENCE', value: 'https://api.example.com', comment: 'The `aud` a token must name: this API' },
    {
      name: 'OIDC_JWKS_URL',
      value: 'https://id.example.com/.well-known/jwks.json',
      comment: "The provider's JSON Web Key Set (its discovery document's jwks_uri)",
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
};
