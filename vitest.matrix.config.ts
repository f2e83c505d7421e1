import { defineConfig } from 'vitest/config';

// npm run test:matrix: the pairwise matrix of whole generated projects (test/matrix), apart from
// `npm test`. Installs are mostly waiting on disk and network, so two projects run at a time.
export default defineConfig({
  test: {
    include: ['test/matrix/**/*.test.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 600_000,
    maxConcurrency: Number(process.env.MATRIX_CONCURRENCY ?? 2),
    // The Node the projects run on (SOUND_PROJECT_NODE), better-sqlite3 compiled for it once for
    // every SQLite combination; the table printed at the end.
    globalSetup: ['test/project-node.ts', 'test/sqlite-prebuild.ts', 'test/matrix/print-results.ts'],
  },
});
