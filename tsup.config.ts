import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { defineConfig } from 'tsup';

/**
 * Every `.hbs` template compiled to JavaScript once, at build time, into dist/templates.js
 * (keyed by its path under templates/). Compiling them at each run was half of the time it
 * takes to render a project; src/render.ts falls back to compiling when run from source.
 */
function precompileTemplates() {
  const entries = readdirSync('templates', { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.hbs'))
    .map((entry) => path.relative('templates', path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort()
    .map((key) => `  ${JSON.stringify(key)}: ${Handlebars.precompile(readFileSync(`templates/${key}`, 'utf8'))},`);
  writeFileSync(
    'dist/templates.js',
    `// Made by tsup.config.ts from templates/**/*.hbs.\nexport default {\n${entries.join('\n')}\n};\n`,
  );
}

// One bundle with every dependency inside, so `npx create-sound-backend` installs
// one package; heavy modules (execa, prompts, the Handlebars compiler) stay in
// chunks that load only on the paths that use them.
export default defineConfig({
  entry: { cli: 'src/cli.ts' },
  format: 'esm',
  platform: 'node',
  target: 'node20',
  splitting: true,
  clean: true,
  noExternal: [/.*/],
  banner: {
    // Bundled CommonJS dependencies call require(); ESM has none of its own.
    js: "import { createRequire as __soundCreateRequire } from 'node:module'; const require = __soundCreateRequire(import.meta.url);",
  },
  onSuccess: async () => precompileTemplates(),
});
