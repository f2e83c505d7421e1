import { type Feature, importsAt } from './feature.js';

/**
 * What every auth value shares: the one `authenticate` hook that turns the credential a request
 * carries into `request.principal`, each chosen method plugging in its verifier.
 */
export const authShared: Feature = {
  id: 'auth',
  snippets: [
    { place: 'appImports', import: "import authenticate from './plugins/authenticate.js';" },
    // With each method's verifier from `authenticateOptions`.
    { place: 'appPlugins', order: 40, template: 'app-authenticate.ts.hbs' },
    // Each method's signIn follows at 30 (test/helpers.ts).
    { place: 'testHelpers', order: 20, template: 'test-principal.ts.hbs' },
    // The rate limiter counts each principal apart (src/plugins/rate-limit.ts).
    ...importsAt('rateLimitImports', [
      "import { normalizeIP } from '@fastify/rate-limit';",
      "import type { FastifyRequest } from 'fastify';",
    ]),
    { place: 'rateLimitExports', template: 'rate-limit-client.ts.hbs' },
    { place: 'rateLimitSettings', order: 20, template: 'rate-limit-key.ts.hbs' },
    { place: 'rateLimitDependencies', text: 'authenticate' },
    // bench/pagination.ts: every item has an owner, and pages are one owner's.
    { place: 'benchImports', import: "import { eq } from 'drizzle-orm';" },
    { place: 'benchOwner', text: 'const ownerId = crypto.randomUUID();' },
    { place: 'benchItemFields', text: '      ownerId,' },
    {
      place: 'benchPages',
      text: `const keysetPage = (cursor?: string) => repository.list(ownerId, { limit: PAGE, cursor });
const offsetPage = (skip: number) =>
  db
    .select()
    .from(items)
    .where(eq(items.ownerId, ownerId))
    .orderBy(desc(items.createdAt), desc(items.id))
    .limit(PAGE)
    .offset(skip);`,
    },
  ],
  readme: [
    { place: 'readmeAuth', order: 10, template: 'readme-auth.md.hbs' },
    { place: 'readmeAuthErrors', order: 10, template: 'readme-errors.md.hbs' },
    {
      place: 'readmeSchema',
      order: 20,
      when: (data) => !data.has.authJwt,
      text: "primary keys, unique name per owner, an index for the owner's sort order",
    },
    {
      place: 'readmeSecurity',
      order: 40,
      text: '`src/plugins/authenticate.ts` + `src/modules/items/repository.ts` (items scoped to their owner in SQL), ',
    },
    { place: 'readmeLayoutPlugins', order: 30, text: ',\n                       authenticate' },
  ],
};

/** What the methods read from `Authorization: Bearer` share (jwt, oauth2); no files of its own. */
export const authBearer: Feature = {
  id: 'auth-bearer',
  uses: [authShared],
};
