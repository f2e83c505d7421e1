import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers.js';
import { emptySections, templateLeftovers, unusedDependencies, unusedFiles } from '../matrix/quality.js';

/** A project folder holding exactly these files. */
function project(files: Record<string, string>): string {
  const dir = scratchDir('csb-quality-');
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

const manifest = (dependencies: Record<string, string>, scripts: Record<string, string> = {}) =>
  JSON.stringify({ name: 'p', dependencies, devDependencies: {}, scripts });

describe('quality checks of a generated project', () => {
  it('finds Handlebars left in a file, and not the files’ own {{ }} syntax', () => {
    const dir = project({
      'src/app.ts': "const a = 1;\n{{#if has.redis}}\nconst b = '{{pm.run}}';\n",
      'observability/alerts.yml': 'summary: "{{ $labels.instance }} is down"\n',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub Actions' syntax, not a JavaScript template
      '.github/workflows/ci.yml': 'node-version: ${{ matrix.node }}\n',
      'dashboards/api.json': '{"legendFormat": "{{route}}"}\n',
      'README.md.hbs': '# x\n',
    });
    expect(templateLeftovers(dir)).toEqual([
      'README.md.hbs: a template file was copied as is',
      'src/app.ts:2: template syntax left: {{#if has.redis}}',
      "src/app.ts:3: template syntax left: const b = '{{pm.run}}';",
    ]);
  });

  it('finds empty markdown sections, empty YAML maps and values, empty files and double blank lines', () => {
    const dir = project({
      'README.md': '# API\n\nText.\n\n## Cache\n\n## Tests\n\n```sh\n# not a heading\n```\n',
      'docker-compose.yml': 'services:\n  api:\n    environment: {}\n    ports:\nvolumes:\n  data:\n',
      '.github/workflows/ci.yml': 'on:\n  pull_request:\n',
      'src/empty.ts': '\n',
      'src/app.ts': 'const a = 1;\n\n\nconst b = 2;\n',
    });
    expect(emptySections(dir)).toEqual([
      'README.md:5: empty section "Cache"',
      'docker-compose.yml: services.api.environment is an empty map',
      'docker-compose.yml: services.api.ports has no value',
      'src/app.ts:2: two blank lines in a row',
      'src/empty.ts: empty file',
    ]);
  });

  it('finds dependencies that nothing imports or runs', () => {
    const dir = project({
      'package.json': manifest(
        { fastify: '5', pino: '10', '@types/pino': '1', '@types/node': '20', tsx: '4' },
        {
          dev: 'tsx watch src/server.ts',
        },
      ),
      'src/server.ts': "import Fastify from 'fastify';\nimport { once } from 'node:events';\n",
      'node_modules/tsx/package.json': JSON.stringify({ name: 'tsx', bin: { tsx: 'dist/cli.mjs' } }),
    });
    expect(unusedDependencies(dir)).toEqual([
      'pino: declared in package.json, but nothing imports it or runs its command',
      '@types/pino: declared in package.json, but nothing imports it or runs its command',
    ]);
  });

  it('finds code no entry point reaches and files no other file names', () => {
    const dir = project({
      'package.json': manifest({}, { start: 'node dist/server.js' }),
      'src/server.ts': "import { app } from './app.js';\n",
      'src/app.ts': 'export const app = 1;\n',
      'src/orphan.ts': "import { app } from './app.js';\n",
      'test/app.test.ts':
        "import '../src/app.js';\nconst fixture = new URL('./fixtures/data.json', import.meta.url);\n",
      'test/fixtures/data.json': '{}\n',
      'observability/unused-dashboard.json': '{}\n',
    });
    expect(unusedFiles(dir)).toEqual([
      'observability/unused-dashboard.json: nothing in the project uses it',
      'src/orphan.ts: nothing in the project uses it',
    ]);
  });
});
