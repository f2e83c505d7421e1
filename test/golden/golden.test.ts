import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCreateArgs } from '../../src/args.js';
import type { PackageManager } from '../../src/catalogue.js';
import { requestedOptions, withDefaults } from '../../src/options.js';
import { planProject } from '../../src/plan.js';
import { renderProject } from '../../src/render.js';
import { writeRendered } from '../helpers.js';
import { catalogueMatrix, defaultCombination, flagsOf, labelOf } from '../matrix/catalogue-matrix.js';
import type { Combination } from '../matrix/pairwise.js';

/**
 * Golden files: what the generator renders for every combination of the pairwise set, kept in
 * test/golden/. Each holds the exact text of the files every feature adds to (app.ts, config.ts,
 * package.json, the compose file, .env.example) and a hash of every other file, so that a
 * template change shows up here as a snapshot diff to review, in seconds, before any project is
 * installed. `npx vitest run --project golden -u` rewrites them after a deliberate change;
 * `GOLDEN_RENDER_DIR=/tmp/a` keeps the rendered projects, to diff two generators' output whole.
 */

/** Fixed inputs, so that the same generator always renders the same bytes. */
const version = '0.0.0-golden';
const resource = { name: 'orders', createdAt: Date.UTC(2026, 0, 1) };
const sharedFiles = ['src/app.ts', 'src/config.ts', 'package.json', 'docker-compose.yml', '.env.example'];

interface Case {
  file: string;
  label: string;
  combination: Combination;
  pm: PackageManager;
}

const matrixCases: Case[] = catalogueMatrix().combinations.map((combination, i) => ({
  file: `${String(i + 1).padStart(2, '0')}.txt`,
  label: labelOf(combination),
  combination,
  pm: 'npm',
}));
// The package manager changes package.json, the README, the Dockerfile and CI: each on the default stack.
const pmCases: Case[] = (['pnpm', 'yarn', 'bun'] as const).map((pm) => ({
  file: `pm-${pm}.txt`,
  label: `${labelOf(defaultCombination())} pm=${pm}`,
  combination: defaultCombination(),
  pm,
}));

async function rendered(testCase: Case, withResource: boolean): Promise<Map<string, Buffer>> {
  const requested = requestedOptions(parseCreateArgs(['golden-app', ...flagsOf(testCase.combination)]), {}, {});
  const plan = planProject(
    {
      name: 'golden-app',
      stack: withDefaults(requested.stack),
      pm: testCase.pm,
      resources: withResource ? [resource] : [],
    },
    version,
  );
  const files = await renderProject(plan);
  // GOLDEN_RENDER_DIR keeps every render, to diff two generators' whole output with `diff -r`.
  const keep = process.env.GOLDEN_RENDER_DIR;
  if (keep)
    writeRendered(path.join(keep, `${testCase.file.replace(/\.txt$/, '')}${withResource ? '-orders' : ''}`), files);
  return new Map(
    [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([file, { content }]) => [file, content]),
  );
}

const digest = (content: Buffer) => createHash('sha256').update(content).digest('hex').slice(0, 16);

function fileList(files: Map<string, Buffer>): string {
  return [...files].map(([file, content]) => `${digest(content)}  ${file}`).join('\n');
}

describe('golden renders of the pairwise set', () => {
  it.each([...matrixCases, ...pmCases])('$file: $label', async (testCase) => {
    const files = await rendered(testCase, false);
    const withResource = await rendered(testCase, true);
    const sections = [
      `# ${testCase.label}`,
      `## files\n${fileList(files)}`,
      ...sharedFiles
        .filter((file) => files.has(file))
        .map((file) => `## ${file}\n${files.get(file)?.toString('utf8') ?? ''}`),
      `## files after add resource orders\n${fileList(withResource)}`,
      `## src/app.ts after add resource orders\n${withResource.get('src/app.ts')?.toString('utf8') ?? ''}`,
    ];
    await expect(`${sections.join('\n\n')}\n`).toMatchFileSnapshot(path.join('files', testCase.file));
  });
});
