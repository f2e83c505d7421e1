import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, scratchDir } from './helpers.js';

/**
 * An older version of the tool, and the edits a user makes to a project it generated: what the
 * upgrade tests (cli and e2e) upgrade from and must keep.
 */

export const oldVersion = '0.0.1';

/** The one template line the old build has otherwise: a comment in the app's server options. */
export const templateLine = {
  now: "    // Fastify's default Ajv silently drops unknown properties; refuse them with a 400 instead.",
  old: '    // Ajv drops unknown properties by default; refuse them with a 400 instead.',
};

/** Replaces `from` with `to` in a file, failing when `from` is not there (the test would prove nothing). */
export function replaceIn(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from)}`);
  writeFileSync(file, text.replace(from, to));
}

/**
 * "An older version" as npm would ship it: this build's bin, dist, templates and package.json,
 * version 0.0.1, with one template line of its own. The built templates are precompiled into
 * dist/templates.js, so the line changes there too.
 */
export function buildOldVersion(version = oldVersion): string {
  const dir = scratchDir('csb-old-');
  for (const entry of ['bin', 'dist', 'templates', 'package.json']) {
    cpSync(path.join(repoRoot, entry), path.join(dir, entry), { recursive: true });
  }
  const pkgFile = path.join(dir, 'package.json');
  writeFileSync(pkgFile, JSON.stringify({ ...JSON.parse(readFileSync(pkgFile, 'utf8')), version }, null, 2));
  replaceIn(path.join(dir, 'templates/base/src/app.ts.hbs'), templateLine.now.trim(), templateLine.old.trim());
  const escaped = (line: string) => JSON.stringify(line.trim()).slice(1, -1);
  replaceIn(path.join(dir, 'dist/templates.js'), escaped(templateLine.now), escaped(templateLine.old));
  return dir;
}

export const oldBin = (old: string) => path.join(old, 'bin/create-sound-backend.js');

const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');

/**
 * The edits a real project has by its first day: its own route, a README paragraph, a variable
 * of its own, a dependency.
 */
export const userEdits = {
  appLine: "  fastify.get('/ping', async () => ({ pong: true }));",
  readme: '\n## Deploying\n\nEvery release goes to staging first, then to production.\n',
  variable: '# The partner API orders are sent to\nPARTNER_API_URL=https://partner.example\n',
};

export function makeUserEdits(dir: string): void {
  replaceIn(
    path.join(dir, 'src/app.ts'),
    'export default async function app(fastify: FastifyInstance, { config, onQuery }: AppOptions) {\n',
    `export default async function app(fastify: FastifyInstance, { config, onQuery }: AppOptions) {\n${userEdits.appLine}\n`,
  );
  writeFileSync(path.join(dir, 'README.md'), `${read(dir, 'README.md')}${userEdits.readme}`);
  writeFileSync(path.join(dir, '.env.example'), `${read(dir, '.env.example')}\n${userEdits.variable}`);
  const pkg = JSON.parse(read(dir, 'package.json'));
  pkg.dependencies = { ...pkg.dependencies, 'left-pad': '^1.3.0' };
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
}
