import type { Feature } from './feature.js';

/**
 * What every auth value shares: the one `authenticate` hook that turns the credential a request
 * carries into `request.principal`, each chosen method plugging in its verifier.
 */
export const authShared: Feature = {
  id: 'auth',
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
