import { describe, expect, it } from 'vitest';
import { type Feature, featureModules, featuresFor } from '../../generators/index.js';
import { dependencyVersions } from '../../generators/versions.js';
import { type ChoiceKind, choiceKinds, choices, valuesOf } from '../../src/catalogue.js';
import { importsOf } from '../../src/imports.js';
import { withDefaults } from '../../src/options.js';
import { packageJsonFor } from '../../src/package-json.js';
import {
  destinationOf,
  envExampleFor,
  placesOf,
  planProject,
  securitySchemesOf,
  templatesRoot,
} from '../../src/plan.js';

const defaultFeatures = [
  'base',
  'db',
  'db-sqlite',
  'auth',
  'auth-bearer',
  'auth-jwt',
  'cache',
  'cache-memory',
  'monitoring-prometheus',
  'deploy-image',
  'deploy-docker',
  'ci-github',
];

const fakeTemplates = (featureId: string) => [`${featureId}/file.ts`, `${featureId}/doc.md.hbs`];

describe('catalogue and feature modules', () => {
  it('has a feature module for every value but none, and no module without a value', () => {
    const expected = choiceKinds.flatMap((kind) =>
      valuesOf(kind)
        .filter((value) => value !== 'none')
        .map((value) => `${kind}-${value}`),
    );
    expect(Object.keys(featureModules).sort()).toEqual(expected.sort());
  });

  it('gives each default a value the catalogue lists', () => {
    for (const kind of choiceKinds) {
      const fallback = choices[kind].default;
      for (const value of Array.isArray(fallback) ? fallback : [fallback]) expect(valuesOf(kind)).toContain(value);
    }
  });

  it('pins a version for every dependency a feature names', () => {
    for (const feature of [...Object.values(featureModules), ...featuresFor(withDefaults({}))]) {
      for (const name of [...(feature.dependencies ?? []), ...(feature.devDependencies ?? [])]) {
        expect(dependencyVersions, `${feature.id} needs ${name}`).toHaveProperty([name]);
      }
    }
  });
});

describe('featuresFor', () => {
  it('puts the base first and skips none', () => {
    const ids = featuresFor(
      withDefaults({ auth: ['none'], cache: 'none', monitoring: ['none'], deploy: ['none'], ci: 'none' }),
    ).map((f) => f.id);
    expect(ids).toEqual(['base', 'db', 'db-sqlite']);
  });

  it('gives the default project jwt auth and the memory cache', () => {
    expect(choices.auth.default).toEqual(['jwt']);
    expect(choices.cache.default).toBe('memory');
    expect(valuesOf('auth')).toContain('none');
    expect(valuesOf('cache')).toContain('none');
    const ids = featuresFor(withDefaults({})).map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['auth-jwt', 'cache-memory']));
  });

  it('puts the shared cache features before the chosen backend, once each', () => {
    const ids = (cache: 'memory' | 'redis' | 'memcached') =>
      featuresFor(withDefaults({ cache, monitoring: ['none'], deploy: ['none'], ci: 'none' })).map((f) => f.id);
    const auth = ['auth', 'auth-bearer', 'auth-jwt'];
    expect(ids('memory')).toEqual(['base', 'db', 'db-sqlite', ...auth, 'cache', 'cache-memory']);
    expect(ids('redis')).toEqual([
      'base',
      'db',
      'db-sqlite',
      ...auth,
      'cache',
      'tcp-proxy',
      'cache-remote',
      'cache-redis',
    ]);
    expect(ids('memcached')).toEqual([
      'base',
      'db',
      'db-sqlite',
      ...auth,
      'cache',
      'tcp-proxy',
      'cache-remote',
      'cache-memcached',
    ]);
  });

  it('renders the shared auth layer once, before the methods of a combination', () => {
    const ids = (auth: ('jwt' | 'apikey' | 'oauth2' | 'none')[]) =>
      featuresFor(withDefaults({ auth, cache: 'none', monitoring: ['none'], deploy: ['none'], ci: 'none' }))
        .map((f) => f.id)
        .filter((id) => id.startsWith('auth'));
    expect(ids(['apikey'])).toEqual(['auth', 'auth-apikey']);
    expect(ids(['oauth2'])).toEqual(['auth', 'auth-bearer', 'auth-oauth2']);
    expect(ids(['jwt', 'apikey'])).toEqual(['auth', 'auth-bearer', 'auth-jwt', 'auth-apikey']);
    expect(ids(['oauth2', 'apikey'])).toEqual(['auth', 'auth-bearer', 'auth-oauth2', 'auth-apikey']);
    expect(ids(['none'])).toEqual([]);
  });

  it('follows catalogue order whatever order the choices came in', () => {
    const stack = withDefaults({ ci: 'github', monitoring: ['prometheus'] });
    expect(featuresFor(stack).map((f) => f.id)).toEqual(defaultFeatures);
  });
});

describe('destinationOf', () => {
  it('drops .hbs and restores .gitignore, which npm would drop', () => {
    expect(destinationOf('src/app.ts.hbs')).toBe('src/app.ts');
    expect(destinationOf('_gitignore')).toBe('.gitignore');
    expect(destinationOf('drizzle/meta/_journal.json')).toBe('drizzle/meta/_journal.json');
    expect(destinationOf('src/plugins/errors.ts')).toBe('src/plugins/errors.ts');
  });
});

describe('packageJsonFor', () => {
  const features = featuresFor(withDefaults({}));

  it('gathers sorted dependencies with pinned versions, and the scripts of every feature', () => {
    const pkg = packageJsonFor('my-api', 'npm', features) as Record<string, Record<string, string>>;
    expect(Object.keys(pkg.dependencies ?? {})).toEqual(Object.keys(pkg.dependencies ?? {}).sort());
    expect(pkg.dependencies).toMatchObject({
      fastify: dependencyVersions.fastify,
      'prom-client': expect.any(String),
    });
    expect(pkg.scripts).toMatchObject({ test: 'vitest run', 'db:migrate': expect.any(String) });
  });

  it('allows native builds the way each package manager expects', () => {
    expect(packageJsonFor('a', 'npm', features)).toMatchObject({ allowScripts: { 'better-sqlite3': true } });
    expect(packageJsonFor('a', 'pnpm', features)).toMatchObject({
      pnpm: { onlyBuiltDependencies: ['better-sqlite3', 'esbuild'] },
    });
    expect(packageJsonFor('a', 'bun', features)).toMatchObject({ trustedDependencies: ['better-sqlite3', 'esbuild'] });
    expect(packageJsonFor('a', 'yarn', features)).not.toHaveProperty('allowScripts');
  });

  it('leaves out what a choice did not ask for', () => {
    const pkg = packageJsonFor('a', 'npm', featuresFor(withDefaults({ monitoring: ['none'] })));
    expect(pkg.dependencies).not.toHaveProperty('prom-client');
    const open = packageJsonFor('a', 'npm', featuresFor(withDefaults({ auth: ['none'], cache: 'none' })));
    expect(open.dependencies).not.toHaveProperty('jose');
    expect(open.dependencies).not.toHaveProperty('lru-cache');
  });

  it('gives each cache backend its client and nothing of the others', () => {
    const deps = (cache: 'memory' | 'redis' | 'memcached') =>
      Object.keys(packageJsonFor('a', 'npm', featuresFor(withDefaults({ cache }))).dependencies as object);
    expect(deps('redis')).toContain('ioredis');
    expect(deps('redis')).not.toContain('memjs');
    expect(deps('memcached')).toContain('memjs');
    expect(deps('memcached')).not.toContain('ioredis');
    expect(deps('memory')).not.toContain('ioredis');
    for (const cache of ['memory', 'redis', 'memcached'] as const) expect(deps(cache)).toContain('cockatiel');
  });

  it('traces with the instrumentations of the chosen database and cache only', () => {
    const deps = (db: 'sqlite' | 'postgres' | 'mysql', cache: 'memory' | 'redis' | 'memcached') =>
      Object.keys(
        packageJsonFor('a', 'npm', featuresFor(withDefaults({ db, cache, monitoring: ['opentelemetry'] })))
          .dependencies as object,
      ).filter((name) => name.startsWith('@opentelemetry/instrumentation-'));
    const always = ['pino', 'undici'].map((name) => `@opentelemetry/instrumentation-${name}`);
    expect(deps('sqlite', 'memory')).toEqual(always);
    expect(deps('postgres', 'redis')).toEqual(
      [...always, '@opentelemetry/instrumentation-pg', '@opentelemetry/instrumentation-ioredis'].sort(),
    );
    expect(deps('mysql', 'memcached')).toEqual([...always, '@opentelemetry/instrumentation-mysql2'].sort());
    const untraced = packageJsonFor('a', 'npm', featuresFor(withDefaults({ db: 'postgres', cache: 'redis' })));
    expect(Object.keys(untraced.dependencies as object).filter((name) => name.startsWith('@opentelemetry/'))).toEqual(
      [],
    );
  });

  it('adds jose for jwt and lru-cache for the memory cache', () => {
    expect(packageJsonFor('a', 'npm', features).dependencies).toMatchObject({
      jose: dependencyVersions.jose,
      'lru-cache': dependencyVersions['lru-cache'],
    });
  });
});

describe('env of the auth and cache features', () => {
  it('documents the JWT and cache variables with their defaults', () => {
    const text = envExampleFor(featuresFor(withDefaults({})).flatMap((feature) => feature.env ?? []));
    expect(text).toContain('\nJWT_SECRET=\n');
    expect(text).toContain('\nJWT_ACCESS_TTL=15m\n');
    expect(text).toContain('\nJWT_REFRESH_TTL=7d\n');
    expect(text).toContain('\nCACHE_TTL_SECONDS=60\n');
  });
});

describe('securitySchemesOf', () => {
  const namesFor = (auth: string[]) =>
    securitySchemesOf(featuresFor(withDefaults({ auth: auth as never }))).map((scheme) => scheme.name);

  it('gives each auth method its OpenAPI scheme, by name whatever order the options came in', () => {
    expect(namesFor(['jwt'])).toEqual(['bearerAuth']);
    expect(namesFor(['oauth2'])).toEqual(['bearerAuth']);
    expect(namesFor(['apikey', 'jwt'])).toEqual(['apiKeyAuth', 'bearerAuth']);
    expect(namesFor(['jwt', 'apikey'])).toEqual(['apiKeyAuth', 'bearerAuth']);
    expect(namesFor(['none'])).toEqual([]);
    const [bearer] = securitySchemesOf([featureModules['auth-jwt'] as Feature]);
    expect(bearer?.fields.map(({ key }) => key)).toEqual(['type', 'scheme', 'bearerFormat', 'description']);
  });

  it('refuses a value the template could not write on one line in quotes', () => {
    const scheme = (description: string): Feature => ({
      id: 'x',
      securitySchemes: { xAuth: { type: 'apiKey', description } },
    });
    expect(() => securitySchemesOf([scheme("the user's key")])).toThrow(/xAuth: description/);
    expect(() => securitySchemesOf([scheme('x'.repeat(90))])).toThrow(/xAuth: description/);
    const twice: Feature = { id: 'y', securitySchemes: { xAuth: { type: 'apiKey' } } };
    expect(() => securitySchemesOf([scheme('a key'), twice])).toThrow(/Two features define the security scheme xAuth/);
  });
});

describe('envExampleFor', () => {
  it('writes each variable with its comment', () => {
    expect(envExampleFor([{ name: 'PORT', value: '3000', comment: 'Where to listen' }])).toBe(
      '# Where to listen\nPORT=3000\n',
    );
  });
});

describe('planProject', () => {
  it('plans every template of every chosen feature, plus package.json and .env.example', () => {
    const plan = planProject({ name: 'shop', stack: withDefaults({}), pm: 'npm' }, '1.2.3', fakeTemplates);
    expect(plan.features).toEqual(defaultFeatures);
    expect(plan.files.map((file) => file.path)).toEqual(
      [
        '.env.example',
        'docker-compose.yml',
        'package.json',
        ...plan.features.flatMap((id) => [`${id}/file.ts`, `${id}/doc.md`]),
        // The example module, from the resource templates (with a cache, resource-cache's too).
        ...['resource', 'resource-cache'].flatMap((id) => [`${id}/file.ts`, `${id}/doc.md`]),
      ].sort((a, b) => a.localeCompare(b)),
    );
    expect(plan.files.find((file) => file.path === 'base/doc.md')).toMatchObject({ kind: 'render' });
    expect(plan.files.find((file) => file.path === 'base/file.ts')).toMatchObject({ kind: 'copy' });
    expect(plan.data).toMatchObject({
      name: 'shop',
      generatorVersion: '1.2.3',
      has: { sqlite: true, jwt: true, memory: true, prometheus: true, docker: true, github: true },
      pm: { run: 'npm run', lockfile: 'package-lock.json' },
    });
  });

  it('marks each kind with a chosen value, for code shared by its backends', () => {
    const on = planProject({ name: 'a', stack: withDefaults({}), pm: 'npm' }, '1', fakeTemplates).data.has;
    expect(on).toMatchObject({ db: true, auth: true, cache: true, monitoring: true });
    const redis = planProject({ name: 'a', stack: withDefaults({ cache: 'redis' }), pm: 'npm' }, '1', fakeTemplates);
    expect(redis.data.has).toMatchObject({ redis: true, cache: true, cacheRemote: true, cacheRedis: true });
    expect(on).not.toHaveProperty('cacheRemote');
    const off = planProject(
      { name: 'a', stack: withDefaults({ auth: ['none'], cache: 'none' }), pm: 'npm' },
      '1',
      fakeTemplates,
    ).data.has;
    expect(off).not.toHaveProperty('auth');
    expect(off).not.toHaveProperty('cache');
    expect(off).not.toHaveProperty('none');
  });

  it('adds the files a feature assembles from every feature of the project', () => {
    const plan = planProject({ name: 'shop', stack: withDefaults({}), pm: 'npm' }, '1', fakeTemplates);
    const compose = plan.files.find((file) => file.path === 'docker-compose.yml');
    expect(compose).toMatchObject({ kind: 'write', content: expect.stringContaining('JWT_SECRET') });
    const bare = planProject(
      { name: 'shop', stack: withDefaults({ auth: ['none'], deploy: ['none'] }), pm: 'npm' },
      '1',
      fakeTemplates,
    );
    expect(bare.files.map((file) => file.path)).not.toContain('docker-compose.yml');
  });

  it('refuses two features writing one path', () => {
    expect(() => planProject({ name: 'a', stack: withDefaults({}), pm: 'npm' }, '1.0.0', () => ['same.ts'])).toThrow(
      'Two features write same.ts',
    );
  });

  it('says how to run scripts with each package manager', () => {
    const runOf = (pm: 'npm' | 'pnpm' | 'yarn' | 'bun') =>
      planProject({ name: 'a', stack: withDefaults({}), pm }, '1', fakeTemplates).data.pm.run;
    expect([runOf('npm'), runOf('pnpm'), runOf('yarn'), runOf('bun')]).toEqual(['npm run', 'pnpm', 'yarn', 'bun run']);
  });
});

describe('places', () => {
  const data = planProject({ name: 'shop', stack: withDefaults({}), pm: 'npm' }, '1.0.0').data;
  it('gathers each place’s snippets by order, equal orders in the order of the features', () => {
    const features: Feature[] = [
      {
        id: 'a',
        snippets: [
          { place: 'p', text: 'a1', order: 2 },
          { place: 'q', text: (d) => `a for ${d.name}` },
        ],
      },
      {
        id: 'b',
        snippets: [
          { place: 'p', text: 'b1', order: 1 },
          { place: 'p', text: 'b2', order: 2 },
        ],
      },
      { id: 'c', snippets: [{ place: 'p', template: 'p.md.hbs' }] },
    ];
    expect(placesOf(features, data)).toEqual({
      p: [{ source: `${templatesRoot}c/_places/p.md.hbs` }, 'b1', 'a1', 'b2'],
      q: ['a for shop'],
    });
  });

  it('gives text functions every feature, and leaves out empty text', () => {
    const features: Feature[] = [
      { id: 'a', snippets: [{ place: 'p', text: (_, all) => all.map((feature) => feature.id).join(',') }] },
      {
        id: 'b',
        snippets: [
          { place: 'p', text: () => '' },
          { place: 'q', text: () => '' },
        ],
      },
    ];
    expect(placesOf(features, data)).toEqual({ p: ['a,b'] });
  });

  it('leaves out the snippets whose condition does not hold', () => {
    const features: Feature[] = [
      {
        id: 'a',
        snippets: [
          { place: 'p', text: 'kept', when: (d) => d.name === 'shop' },
          { place: 'p', text: 'left out', when: (d) => d.resources.length > 0 },
        ],
      },
    ];
    expect(placesOf(features, data)).toEqual({ p: ['kept'] });
  });

  it('merges a place’s imports by module and sorts them as Biome does', () => {
    const features: Feature[] = [
      {
        id: 'a',
        snippets: [
          { place: 'i', import: "import { b } from './b.js';" },
          { place: 'i', import: "import { desc, sql } from 'drizzle-orm';" },
          { place: 'i', import: "import type { Config } from '../config.js';" },
          { place: 'i', import: "import a from './a.js';" },
        ],
      },
      {
        id: 'b',
        snippets: [
          { place: 'i', import: "import { eq } from 'drizzle-orm';" },
          { place: 'i', import: "import { loadConfig } from '../config.js';" },
          { place: 'i', import: "import { mkdtempSync } from 'node:fs';" },
          { place: 'i', import: "import a from './a.js';" },
        ],
      },
    ];
    expect(placesOf(features, data)).toEqual({
      i: [
        "import { mkdtempSync } from 'node:fs';",
        "import { desc, eq, sql } from 'drizzle-orm';",
        "import { type Config, loadConfig } from '../config.js';",
        "import a from './a.js';",
        "import { b } from './b.js';",
      ],
    });
  });

  it('refuses a place of imports and text, and imports it cannot merge', () => {
    const mixed: Feature = {
      id: 'a',
      snippets: [
        { place: 'p', import: "import a from './a.js';" },
        { place: 'p', text: 'a' },
      ],
    };
    expect(() => placesOf([mixed], data)).toThrow('The place p mixes imports and text');
    expect(() => importsOf(["import a from './a.js';", "import b from './a.js';"])).toThrow('cannot be merged');
    expect(() => importsOf(["import * as a from './a.js';"])).toThrow('Not an import this tool can merge');
  });

  it('adds README snippets beside the others, and leaves out those whose `when` is false', () => {
    const features: Feature[] = [
      {
        id: 'a',
        snippets: [{ place: 'p', text: 'code' }],
        readme: [
          { place: 'p', text: 'always', order: 1 },
          { place: 'p', text: 'never', when: () => false },
          { place: 'r', text: (d) => `only beside ${d.name}`, when: (d) => d.name === 'shop' },
        ],
      },
    ];
    expect(placesOf(features, data)).toEqual({ p: ['code', 'always'], r: ['only beside shop'] });
  });

  it('offers the choice whose feature shares rate limits, as a kind and a value of the catalogue', () => {
    const { kind, value } = data.sharedRateLimitsChoice;
    expect(Object.keys(choices[kind as ChoiceKind].values)).toContain(value);
    expect(featureModules[`${kind}-${value}`]?.sharesRateLimits).toBe(true);
  });
});
