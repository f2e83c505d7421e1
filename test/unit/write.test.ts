import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accessPlan } from '../../src/access.js';
import { sha256 } from '../../src/changes.js';
import { withDefaults } from '../../src/options.js';
import { packageManagerCommands } from '../../src/package-managers.js';
import { type PlannedFile, type ProjectPlan, planProject, type ResourceRecord } from '../../src/plan.js';
import { resourceNames } from '../../src/resource.js';
import { moduleCode } from '../../src/resource-fields.js';
import { checkTarget, type Manifest, manifestOf, writeProject } from '../../src/write.js';
import { scratchDir } from '../helpers.js';

function planWith(files: PlannedFile[], devSecrets: string[] = []): ProjectPlan {
  return {
    features: ['base'],
    firstRun: [],
    servers: { services: [], variables: [], inCompose: false },
    files,
    devSecrets,
    contributions: {},
    data: {
      name: 'shop',
      generatorVersion: '9.9.9',
      stack: withDefaults({}),
      has: {},
      pm: packageManagerCommands.npm,
      resources: [],
      resourcesByName: [],
      remotes: [],
      database: 'app',
      securitySchemes: [],
      scopes: { names: [], code: '' },
      sharedRateLimitsChoice: { kind: 'cache', value: 'redis' },
      places: {},
      schemaNeeds: { imports: [], helpers: [] },
      example: {
        ...resourceNames('items'),
        fields: [],
        access: accessPlan('items', 'owned', false, false),
        cached: false,
        code: moduleCode(resourceNames('items'), [], { owned: false, primary: 'db', core: 'drizzle-orm/sqlite-core' }),
      },
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

  it('keeps the mode of a copied file, so a script stays executable', async () => {
    const source = templates();
    chmodSync(path.join(source, 'ci.yml'), 0o755);
    const target = path.join(scratchDir(), 'shop');
    await writeProject(planWith([{ path: 'bin/run', kind: 'copy', source: path.join(source, 'ci.yml') }]), target);
    expect(statSync(path.join(target, 'bin/run')).mode & 0o777).toBe(0o755);
    expect(statSync(path.join(target, 'sound-backend.json')).mode & 0o111).toBe(0);
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

describe('the development .env', () => {
  const example = '# Where to listen\nPORT=3000\n\n# Signing secret\nJWT_SECRET=\n';
  const plan = planWith([{ path: '.env.example', kind: 'write', content: example }], ['JWT_SECRET']);

  it('is .env.example with each secret filled in, readable by its owner only, and not in the manifest', async () => {
    const target = path.join(scratchDir(), 'shop');
    const written = await writeProject(plan, target, () => 'a'.repeat(43));
    expect(written).toEqual(['.env', '.env.example', 'sound-backend.json']);
    expect(readFileSync(path.join(target, '.env'), 'utf8')).toBe(
      `# Where to listen\nPORT=3000\n\n# Signing secret\nJWT_SECRET=${'a'.repeat(43)}\n`,
    );
    expect(readFileSync(path.join(target, '.env.example'), 'utf8')).toBe(example);
    expect(statSync(path.join(target, '.env')).mode & 0o777).toBe(0o600);
    const manifest = JSON.parse(readFileSync(path.join(target, 'sound-backend.json'), 'utf8')) as Manifest;
    expect(Object.keys(manifest.files)).toEqual(['.env.example']);
  });

  it('gets 32 random bytes by default, different each time', async () => {
    const secrets = await Promise.all(
      [1, 2].map(async () => {
        const target = path.join(scratchDir(), 'shop');
        await writeProject(plan, target);
        return /^JWT_SECRET=(.*)$/m.exec(readFileSync(path.join(target, '.env'), 'utf8'))?.[1];
      }),
    );
    expect(secrets[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(secrets[1]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(secrets[0]).not.toBe(secrets[1]);
  });

  it("is not written beside the user's own .env (--force), which stays as it was", async () => {
    const target = scratchDir();
    writeFileSync(path.join(target, '.env'), 'JWT_SECRET=mine\n');
    checkTarget(target, plan, true);
    expect(await writeProject(plan, target)).toEqual(['.env.example', 'sound-backend.json']);
    expect(readFileSync(path.join(target, '.env'), 'utf8')).toBe('JWT_SECRET=mine\n');
  });

  it('is not written for a project without secrets', async () => {
    const target = path.join(scratchDir(), 'shop');
    await writeProject(planWith([{ path: '.env.example', kind: 'write', content: 'PORT=3000\n' }]), target);
    expect(existsSync(path.join(target, '.env'))).toBe(false);
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

describe('manifestOf', () => {
  it("keeps each resource's fields and unique keys, so a later add or upgrade renders them again", () => {
    const resources: ResourceRecord[] = [
      { name: 'customers', createdAt: 1, migration: '0001_customers' },
      {
        name: 'orders',
        createdAt: 2,
        migration: '0002_orders',
        fields: [
          { name: 'customerId', type: 'references', references: 'customers', onDelete: 'cascade' },
          { name: 'total', type: 'decimal', precision: 10, scale: 2 },
        ],
        unique: [['customerId', 'total']],
      },
    ];
    const plan = planProject({ name: 'shop', stack: withDefaults({}), pm: 'npm', resources }, '1.2.3');
    expect(manifestOf(plan, {}, 'now').resources).toEqual(resources);
  });
});
