import { authBearer } from './auth.js';
import type { Feature } from './feature.js';

/** Email + password accounts, HS256 access tokens (jose, verified tokens kept until they expire) and rotating opaque refresh tokens. */
export const authJwt: Feature = {
  id: 'auth-jwt',
  dependencies: ['jose', 'lru-cache'],
  uses: [authBearer],
  env: [
    {
      name: 'JWT_SECRET',
      value: '',
      comment: 'HS256 signing secret, at least 32 characters; required in production (empty: a random one per start)',
      secret: true,
      devSecret: true,
    },
    { name: 'JWT_ACCESS_TTL', value: '15m', comment: 'Access token lifetime (s, m, h or d)' },
    { name: 'JWT_REFRESH_TTL', value: '7d', comment: 'Refresh token lifetime (s, m, h or d)' },
    {
      name: 'AUTH_RATE_LIMIT_MAX',
      value: '10',
      comment: 'Register and login attempts per window per client address, whatever credential it carries',
    },
    { name: 'AUTH_EMAIL_RATE_LIMIT_MAX', value: '5', comment: 'Login attempts per window per email, from any address' },
  ],
  // RFC 8725 is the JWT best current practice: pinned algorithm, issuer, audience and type.
  securitySchemes: {
    bearerAuth: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'An access token from POST /v1/auth/login, verified as RFC8725 advises',
    },
  },
  // Compose refuses to start without it (e.g. `JWT_SECRET=$(openssl rand -base64 48)`).
  // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own interpolation, left for compose.
  compose: { environment: { JWT_SECRET: '${JWT_SECRET:?set JWT_SECRET to at least 32 random characters}' } },
  readme: [
    { place: 'readmeStack', order: 20, text: ', JWT authentication with rotating refresh tokens' },
    {
      place: 'readmeRunEnv',
      text: '# .env came with the project: .env.example plus a random JWT_SECRET; git ignores it',
    },
    {
      place: 'readmeDeploy',
      order: 21,
      when: (data) => data.has.deployDocker === true,
      text: 'export JWT_SECRET="$(openssl rand -base64 48)"   # else compose takes the development one in .env',
    },
    { place: 'readmeReplicas', order: 20, template: 'readme-replicas.md.hbs' },
    { place: 'readmeReplicaEmailLimits', text: ' (and each email N × `AUTH_EMAIL_RATE_LIMIT_MAX` login attempts)' },
    { place: 'readmeRoutesAuth', template: 'readme-routes.md.hbs' },
    { place: 'readmeCredentials', order: 10, text: '`Authorization: Bearer <accessToken>`' },
    { place: 'readmeAuth', order: 20, template: 'readme-auth.md.hbs' },
    { place: 'readmeConflict', text: '; a row it refers to is gone (foreign key)' },
    {
      place: 'readmeSchema',
      order: 10,
      text: "primary keys, foreign keys to users, unique email, unique name per owner, indexes for the owner's sort order and token families",
    },
    {
      place: 'readmeSecurity',
      order: 10,
      text: '`src/modules/auth/` (scrypt passwords, HS256 access tokens with pinned algorithm/issuer/audience, rotating refresh tokens with reuse detection, tighter rate limit), ',
    },
    { place: 'readmeLayoutPlugins', order: 40, text: ', access-tokens' },
    {
      place: 'readmeLayoutModules',
      order: 10,
      text: '  modules/auth/        register, login, refresh, logout: routes, passwords, tokens',
    },
  ],
  tests: [
    {
      place: 'rateLimitTestSignIn',
      text: '  // Register and login have their own limit, so signing up spends none of the three.',
    },
  ],
};
