import { defineConfig } from 'tsup';

// One bundle with every dependency inside, so `npx create-sound-backend` installs
// one package; heavy modules (node-plop, execa, prompts) stay in chunks that
// load only on the paths that use them.
export default defineConfig({
  entry: { cli: 'src/cli.ts' },
  format: 'esm',
  platform: 'node',
  target: 'node20',
  splitting: true,
  clean: true,
  noExternal: [/.*/],
  esbuildOptions(options) {
    options.alias = { inquirer: './src/no-inquirer.ts' };
  },
  banner: {
    // Bundled CommonJS dependencies call require(); ESM has none of its own.
    js: "import { createRequire as __soundCreateRequire } from 'node:module'; const require = __soundCreateRequire(import.meta.url);",
  },
});
