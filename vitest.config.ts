import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      // Rendered output of every pairwise combination against the files in test/golden/files.
      { test: { name: 'golden', include: ['test/golden/**/*.test.ts'] } },
      // Runs the built command (npm test builds first) as a user would.
      { test: { name: 'cli', include: ['test/cli/**/*.test.ts'], testTimeout: 60_000 } },
      // Renders, installs and tests whole projects: minutes, one file at a time.
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 900_000,
          hookTimeout: 900_000,
          fileParallelism: false,
          // The Node the projects run on (SOUND_PROJECT_NODE), then better-sqlite3 compiled for it
          // once for every SQLite project the run installs.
          globalSetup: ['test/project-node.ts', 'test/sqlite-prebuild.ts'],
        },
      },
    ],
  },
});
