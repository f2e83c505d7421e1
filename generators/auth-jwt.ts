import { authBearer } from './auth.js';
import { authJwtVerify, jwtSecret } from './auth-jwt-verify.js';
import { type Feature, importsAt, type SnippetData } from './feature.js';

/** Shared resources here: only admins write them, their role read from the users table. */
const hasAdminWrites = (data: SnippetData) => data.has.adminWrites === true;

/** Email + password accounts, HS256 access tokens (jose, verified tokens kept until they expire) and rotating opaque refresh tokens. */
export const authJwt: Feature = {
  id: 'auth-jwt',
  usersTable: true,
  // A service made by extract verifies this project's tokens: its users stay here.
  inService: authJwtVerify,
  dependencies: ['jose', 'lru-cache'],
  uses: [authBearer],
  env: [
    jwtSecret,
    {
      name: 'JWT_ACCESS_TTL',
      value: '15m',
      comment: 'Access token lifetime (s, m, h or d)',
      schema: {
        type: 'string',
        pattern: { code: 'DURATION' },
        default: '15m',
        description: 'a duration like 900s, 15m, 12h or 7d',
        derived: {
          type: 'number',
          doc: 'Token lifetimes in seconds.',
          value: 'seconds(parsed.JWT_ACCESS_TTL)',
          expected: '15 * 60',
        },
        example: { value: '90s', loaded: 90 },
        rejects: '15 minutes',
      },
      readme: {
        names: ['JWT_ACCESS_TTL', 'JWT_REFRESH_TTL'],
        meaning: 'token lifetimes: a number and `s`, `m`, `h` or `d`',
        default: '`15m`, `7d`',
      },
    },
    {
      name: 'JWT_REFRESH_TTL',
      value: '7d',
      comment: 'Refresh token lifetime (s, m, h or d)',
      schema: {
        type: 'string',
        pattern: { code: 'DURATION' },
        default: '7d',
        description: 'a duration like 900s, 15m, 12h or 7d',
        derived: { type: 'number', value: 'seconds(parsed.JWT_REFRESH_TTL)', expected: '7 * 24 * 60 * 60' },
        rejects: '7 days',
      },
    },
    {
      name: 'AUTH_RATE_LIMIT_MAX',
      value: '10',
      comment: 'Register and login attempts per window per client address, whatever credential it carries',
      schema: { type: 'integer', minimum: 1, default: 10, description: 'an integer >= 1' },
      readme: {
        meaning:
          'register and login attempts per `RATE_LIMIT_WINDOW_MS` per client IP, whatever credential the request carries',
        default: '`10`',
      },
    },
    {
      name: 'AUTH_EMAIL_RATE_LIMIT_MAX',
      value: '5',
      comment: 'Login attempts per window per email, from any address',
      schema: { type: 'integer', minimum: 1, default: 5, description: 'an integer >= 1' },
      readme: {
        meaning: 'login attempts per `RATE_LIMIT_WINDOW_MS` per email, from any number of IPs',
        default: '`5`',
      },
    },
  ],
  configCode: {
    imports: [{ from: 'node:crypto', names: ['randomBytes'] }],
    helpers: `const DURATION = '^[1-9][0-9]*[smhd]$';
const SECONDS_PER_UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const seconds = (duration: string) =>
  Number.parseInt(duration, 10) * (SECONDS_PER_UNIT[duration.slice(-1)] ?? Number.NaN);`,
  },
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
  snippets: [
    ...importsAt('appImports', [
      "import { PASSWORD_HASHING, TEST_PASSWORD_HASHING } from './modules/auth/passwords.js';",
      "import authRoutes from './modules/auth/routes.js';",
      "import accessTokens from './plugins/access-tokens.js';",
    ]),
    {
      place: 'appPlugins',
      order: 30,
      text: `  await fastify.register(accessTokens, {
    secret: config.JWT_SECRET,
    accessTtlSeconds: config.JWT_ACCESS_TTL,
  });`,
    },
    { place: 'authenticateOptions', order: 10, text: '    verifyBearer: fastify.accessTokens.verify,' },
    // Shared resources: writes need the admin role (src/plugins/authenticate.ts).
    {
      place: 'authenticateOptions',
      order: 30,
      when: hasAdminWrites,
      text: '    isAdmin: createAuthRepository(fastify.database.db).isAdmin,',
    },
    {
      place: 'appImports',
      when: hasAdminWrites,
      import: "import { createAuthRepository } from './modules/auth/repository.js';",
    },
    {
      place: 'appPlugins',
      order: 100,
      text: `  await fastify.register(authRoutes, {
    prefix: '/v1/auth',
    refreshTtlSeconds: config.JWT_REFRESH_TTL,
    passwordHashing: config.NODE_ENV === 'test' ? TEST_PASSWORD_HASHING : PASSWORD_HASHING,
    rateLimit: {
      max: config.AUTH_RATE_LIMIT_MAX,
      maxPerEmail: config.AUTH_EMAIL_RATE_LIMIT_MAX,
      timeWindow: config.RATE_LIMIT_WINDOW_MS,
    },
  });`,
    },
    {
      place: 'testHelperConstants',
      text: `/** Known to the tests, so they can sign their own (hostile) tokens. */
export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-characters-long';`,
    },
    {
      place: 'testConfigEnv',
      text: `    JWT_SECRET: TEST_JWT_SECRET,
    // Suites register and log in many users; auth-rate-limit.test.ts sets its own limits.
    AUTH_RATE_LIMIT_MAX: '1000',
    AUTH_EMAIL_RATE_LIMIT_MAX: '1000',`,
    },
    { place: 'testHelpers', order: 10, template: 'test-sign-up.ts.hbs' },
    { place: 'testHelpers', order: 30, template: 'test-sign-in.ts.hbs' },
    // Shared resources' tests write as an admin.
    ...["import { eq } from 'drizzle-orm';", "import { users } from '../src/db/schema.js';"].map((declaration) => ({
      place: 'testHelperImports',
      import: declaration,
      when: hasAdminWrites,
    })),
    { place: 'testHelpers', order: 40, template: 'test-sign-in-writer.ts.hbs', when: hasAdminWrites },
    // bench/pagination.ts: an item's owner is a user.
    { place: 'benchImports', import: "import { users } from '../src/db/schema.js';" },
    {
      place: 'benchOwner',
      order: 10,
      text: `await db.insert(users).values({
  id: ownerId,
  email: 'bench@example.com',
  passwordHash: 'x',
  createdAt: new Date().toISOString(),
});`,
    },
  ],
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
