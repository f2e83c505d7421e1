import { authBearer } from './auth.js';
import { type EnvVariable, type Feature, importsAt } from './feature.js';

/** The HS256 secret that signs (and verifies) access tokens: a service made by extract shares it. */
export const jwtSecret = {
  name: 'JWT_SECRET',
  value: '',
  comment: 'HS256 signing secret, at least 32 characters; required in production (empty: a random one per start)',
  secret: true,
  devSecret: true,
  schema: {
    type: 'string',
    pattern: '^(.{32,})?$',
    default: '',
    description: 'a secret of at least 32 characters',
    comment: 'Empty means "make one up at start" (see loadConfig).',
    redacted: true,
    requiredInProduction: {
      why: 'A secret made up at start would log every user out on each restart and differ between\nreplicas: acceptable on a laptop, never in production.',
      hint: '(at least 32 characters)',
    },
    derived: {
      value: "parsed.JWT_SECRET || randomBytes(32).toString('base64url')",
      expected: 'expect.stringMatching(/^.{32,}$/)',
    },
    example: {
      value: 'a-production-secret-of-at-least-32-characters',
      loaded: 'a-production-secret-of-at-least-32-characters',
    },
    rejects: 'too-short-secret',
  },
  readme: {
    meaning: 'HS256 signing secret, at least 32 characters; **required when `NODE_ENV=production`**',
    default:
      'in `.env`, a random one made with the project; without one, a new one per start (every token dies on restart)',
  },
} satisfies EnvVariable;

/**
 * jwt in a service made by `extract`: it verifies the access tokens the monolith signs, with the
 * monolith's JWT_SECRET, issuer and audience, and takes the principal from their claims. No
 * users table, no sign-in routes, no password hashing: the users stay in the monolith, so a row's
 * owner is a plain column, not a foreign key (the plan's identity names the monolith).
 */
export const authJwtVerify: Feature = {
  id: 'auth-jwt-verify',
  dependencies: ['jose', 'lru-cache'],
  uses: [authBearer],
  // The users' roles stay in the monolith too: its access tokens carry them.
  tokenRoles: true,
  env: [
    {
      ...jwtSecret,
      comment:
        "The monolith's JWT_SECRET, the same value: its access tokens verify here with it; required in production (empty: a random one per start, which verifies none)",
      schema: {
        ...jwtSecret.schema,
        requiredInProduction: {
          why: 'A secret made up at start would refuse every token of the monolith, whose secret it must be.',
          hint: jwtSecret.schema.requiredInProduction.hint,
        },
      },
      readme: {
        meaning:
          "the monolith's HS256 secret, the same value, at least 32 characters; **required when `NODE_ENV=production`**",
        default:
          "in `.env`, the monolith's, copied by extract; without one, a new one per start (no token of the monolith verifies)",
      },
    },
  ],
  configCode: { imports: [{ from: 'node:crypto', names: ['randomBytes'] }] },
  // RFC 8725 is the JWT best current practice: pinned algorithm, issuer, audience and type.
  securitySchemes: {
    bearerAuth: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'An access token from the login of the monolith, verified as RFC8725 advises',
    },
  },
  compose: {
    environment: {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own interpolation, left for compose.
      JWT_SECRET: '${JWT_SECRET:?set JWT_SECRET to the same value as the monolith}',
    },
  },
  snippets: [
    { place: 'appImports', import: "import { createAccessTokenVerifier } from './lib/access-tokens.js';" },
    {
      place: 'authenticateOptions',
      order: 10,
      text: '    verifyBearer: createAccessTokenVerifier(config.JWT_SECRET),',
    },
    ...importsAt('testHelperImports', [
      "import { randomUUID } from 'node:crypto';",
      "import { signMonolithToken, TEST_JWT_SECRET } from './monolith-tokens.js';",
    ]),
    { place: 'testConfigEnv', text: '    JWT_SECRET: TEST_JWT_SECRET,' },
    { place: 'testHelpers', order: 30, template: 'test-sign-in.ts.hbs' },
    // Shared resources' tests write as an admin of the monolith, by its token's roles claim.
    {
      place: 'testHelpers',
      order: 40,
      template: 'test-sign-in-writer.ts.hbs',
      when: (data) => data.has.tokenRoles === true,
    },
  ],
  readme: [
    { place: 'readmeStack', order: 20, text: ", the monolith's JWT access tokens, verified with its secret" },
    {
      place: 'readmeRunEnv',
      text: "# .env came with extract: .env.example plus the monolith's JWT_SECRET; git ignores it",
    },
    {
      place: 'readmeDeploy',
      order: 21,
      when: (data) => data.has.deployDocker === true,
      text: 'export JWT_SECRET="<the monolith JWT_SECRET>"   # with another, every token it signs is refused here',
    },
    {
      place: 'readmeReplicas',
      order: 20,
      text: "- **`JWT_SECRET` is the monolith's, on every replica**: with another, its tokens are refused.",
    },
    { place: 'readmeCredentials', order: 10, text: "`Authorization: Bearer <the monolith's accessToken>`" },
    { place: 'readmeAuth', order: 20, template: 'readme-auth.md.hbs' },
    {
      place: 'readmeSecurity',
      order: 10,
      text: "`src/lib/access-tokens.ts` (the monolith's HS256 access tokens, with pinned algorithm/issuer/audience/type), ",
    },
    {
      place: 'readmeLayoutLib',
      text: "  lib/access-tokens.ts the monolith's access tokens, verified with its JWT_SECRET",
    },
  ],
};
