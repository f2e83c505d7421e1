/** The files `--auth jwt` adds. */
export const authFiles = [
  'src/modules/auth/passwords.ts',
  'src/modules/auth/repository.ts',
  'src/modules/auth/routes.ts',
  'src/modules/auth/schemas.ts',
  'src/modules/auth/tokens.ts',
  'src/plugins/authenticate.ts',
  'test/auth.test.ts',
  'test/token-attacks.test.ts',
];

/** The files `--cache memory` adds. */
export const cacheFiles = [
  'src/cache/cache.ts',
  'src/cache/memory.ts',
  'src/modules/items/cache.ts',
  'src/plugins/cache.ts',
  'test/cache.test.ts',
];
