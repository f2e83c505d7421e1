import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDefaults } from '../../src/options.js';
import { packageManagerCommands } from '../../src/package-managers.js';
import type { PlannedFile, ProjectPlan } from '../../src/plan.js';
import { checkTarget, type Manifest, sha256, writeProject } from '../../src/write.js';
import { scratchDir } from '../helpers.js';

function planWith(files: PlannedFile[]): ProjectPlan {
  return {
    features: ['base'],
    firstRun: [],
    files,
    data: {
      name: 'shop',
      generatorVersion: '9.9.9',
      stack: withDefaults({}),
      has: {},
      pm: packageManagerCommands.npm,
      resources: [],
      resourcesByName: [],
      securitySchemes: [],
    },
  };
}

// GitHub Actions syntax that Handlebars would eat if a copied file were rendered.
const workflowLine = ['node: $', '{{ matrix.node }}\n'].join('');

function templates(): string {
  const dir = scratchDir('csb-templates-');
  writeFileSync(path.join(dir, 'readme.md.hbs'), '# {{name}}\n');
  writeFileSync(path.join(dir, 'ci.yml'), workflowLine);
  writeFileSync(path.join(dir, 'broken.hbs'), '{{#if name}}never closed\n');
  return dir;
}

describe('writeProject', () => {
  it('renders .hbs, copies the rest byte for byte, and records a hash of each file', async () => {
    const source = templates();
    const target = path.join(scratchDir(), 'shop');
    const plan = planWith([
      { path: 'README.md', kind: 'render', source: path.join(source, 'readme.md.hbs') },
      { path: '.github/ci.yml', kind: 'copy', source: path.join(source, 'ci.yml') },
      { path: 'package.json', kind: 'write', content: '{}\n' },
    ]);
    const written = await writeProject(plan, target);
    expect(written).toEqual(['.github/ci.yml', 'README.md', 'package.json', 'sound-backend.json']);
    expect(readFileSync(path.join(target, 'README.md'), 'utf8')).toBe('# shop\n');
    expect(readFileSync(path.join(target, '.github/ci.yml'), 'utf8')).toBe(workflowLine);
    const manifest = JSON.parse(readFileSync(path.join(target, 'sound-backend.json'), 'utf8')) as Manifest;
    expect(manifest).toMatchObject({
      generator: 'create-sound-backend',
      version: '9.9.9',
      options: { db: 'sqlite', pm: 'npm' },
    });
    expect(manifest.files).toEqual({
      '.github/ci.yml': sha256(workflowLine),
      'README.md': sha256('# shop\n'),
      'package.json': sha256('{}\n'),
    });
    expect(readdirSync(path.dirname(target))).toEqual(['shop']);
  });

  it('leaves nothing behind when rendering fails, not even the parent folder it made', async () => {
    const source = templates();
    const root = scratchDir();
    const target = path.join(root, 'apps', 'shop');
    const plan = planWith([
      { path: 'a.txt', kind: 'write', content: 'a' },
      { path: 'broken', kind: 'render', source: path.join(source, 'broken.hbs') },
    ]);
    await expect(writeProject(plan, target)).rejects.toThrow();
    expect(readdirSync(root)).toEqual([]);
  });

  it('with --force, adds beside the user files and keeps them', async () => {
    const target = scratchDir();
    writeFileSync(path.join(target, 'notes.txt'), 'mine');
    const plan = planWith([{ path: 'src/a.ts', kind: 'write', content: 'export {};\n' }]);
    checkTarget(target, plan, true);
    await writeProject(plan, target);
    expect(readFileSync(path.join(target, 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(path.join(target, 'src/a.ts'))).toBe(true);
    expect(readdirSync(target).filter((entry) => entry.includes('.sound-'))).toEqual([]);
  });
});

describe('checkTarget', () => {
  const plan = planWith([{ path: 'README.md', kind: 'write', content: '' }]);

  it('accepts a missing or empty folder', () => {
    const root = scratchDir();
    expect(() => checkTarget(path.join(root, 'new'), plan, false)).not.toThrow();
    mkdirSync(path.join(root, 'empty'));
    expect(() => checkTarget(path.join(root, 'empty'), plan, false)).not.toThrow();
  });

  it('names a generated path that a --force target already has', () => {
    const root = scratchDir();
    writeFileSync(path.join(root, 'README.md'), 'mine');
    expect(() => checkTarget(root, plan, true)).toThrow(/would overwrite[\s\S]*README\.md/);
  });
});
