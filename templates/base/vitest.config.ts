import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Child-process tests (env validation, graceful shutdown) start tsx, which takes a few seconds.
    testTimeout: 20_000,
  },
});
