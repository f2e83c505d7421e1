import { describe, expect, it } from 'vitest';
import type { Feature } from '../../generators/feature.js';
import { parseCreateArgs } from '../../src/args.js';
import type { Stack } from '../../src/catalogue.js';
import { type Contribution, contributionChanges, contributionsOf } from '../../src/contributions.js';
import { requestedOptions, withDefaults } from '../../src/options.js';
import { filledPlacesOf, type PlanInput, planProject } from '../../src/plan.js';
import { renderProject } from '../../src/render.js';
import { catalogueMatrix, flagsOf, labelOf } from '../matrix/catalogue-matrix.js';

/** Every combination the golden files hold, with a resource so that its places are filled too. */
const cases = catalogueMatrix().combinations.map((combination) => ({
  label: labelOf(combination),
  stack: withDefaults(requestedOptions(parseCreateArgs(['app', ...flagsOf(combination)]), {}, {}).stack),
}));

const input = (stack: Stack): PlanInput => ({
  name: 'contrib-app',
  stack,
  pm: 'npm',
  resources: [{ name: 'orders', createdAt: Date.UTC(2026, 0, 1) }],
});

/** `import a, { b, type C } from 'm';` as its module and the names it brings in. */
function importParts(line: string): { from: string; names: string[] } {
  const match = /^import (?:type )?(.*) from '([^']+)';$/.exec(line);
  if (match === null) throw new Error(`Not an import: ${line}`);
  const names = (match[1] ?? '').replace(/[{},]/g, ' ').split(/\s+/);
  return { from: match[2] ?? '', names: names.filter((name) => name !== '' && name !== 'type') };
}

describe('contributionsOf', () => {
  it.each(cases)('shows each contribution in its file: $label', async ({ stack }) => {
    const plan = planProject(input(stack), '0.0.0-test');
    const files = await renderProject(plan);
    const contributions = await contributionsOf(plan);
    expect(contributions.length).toBeGreaterThan(0);
    for (const each of contributions) {
      const content = files.get(each.file)?.content.toString('utf8');
      expect(content, `${each.file} is rendered`).toBeDefined();
      if (!each.import) {
        expect(content?.includes(each.text), `${each.feature} at ${each.place} in ${each.file}: ${each.text}`).toBe(
          true,
        );
        continue;
      }
      // Merged by module: the file imports every name the feature asked for from that module.
      const { from, names } = importParts(each.text);
      const merged = content
        ?.split('\n')
        .find((line) => line.startsWith('import ') && line.endsWith(` from '${from}';`));
      expect(merged, `${each.feature} imports from ${from} in ${each.file}`).toBeDefined();
      const present = importParts(merged ?? '').names;
      for (const name of names) expect(present, `${each.feature}: ${name} from ${from}`).toContain(name);
    }
  });

  it.each(cases.filter(({ stack }) => stack.cache !== 'none'))(
    'gives app.ts the cache registration of the cache chosen, and of no other feature: $label',
    async ({ stack }) => {
      const contributions = await contributionsOf(planProject(input(stack), '0.0.0-test'));
      const app = contributions.filter((each) => each.file === 'src/app.ts');
      const cache = `cache-${stack.cache}`;
      const own = app.filter((each) => each.feature === cache);
      // Its registration; a cache that shares rate limits adds their store to the rate limit plugin's too.
      const registration = own.filter((each) => each.place.startsWith('app'));
      expect(registration.map((each) => [each.place, each.import ?? false])).toEqual([
        ['appImports', true],
        ['appPlugins', false],
      ]);
      expect(registration[0]?.text).toBe("import cache from './plugins/cache.js';");
      expect(registration[1]?.text).toMatch(/^ {2}await fastify\.register\(cache, \{/);
      const others = app.filter((each) => each.feature !== cache);
      expect(others.some((each) => /register\(cache\b|import cache\b/.test(each.text))).toBe(false);
    },
  );

  it('follows a place through the `_places/` template written at another, and config places', async () => {
    const stack = cases.find((each) => [each.stack.auth].flat().includes('jwt'))?.stack as Stack;
    const contributions = await contributionsOf(planProject(input(stack), '0.0.0-test'));
    // app.ts names appPlugins; auth's `_places/app-authenticate.ts.hbs`, written there, names authenticateOptions.
    expect(contributions).toContainEqual({
      file: 'src/app.ts',
      feature: 'auth-jwt',
      place: 'authenticateOptions',
      text: '    verifyBearer: fastify.accessTokens.verify,',
    });
    // Config places are filled by generators/config.ts, and attributed to the variables' features.
    const schema = contributions.filter((each) => each.file === 'src/config.ts' && each.place === 'configSchema');
    expect(schema.find((each) => each.text.startsWith('  PORT: '))?.feature).toBe('base');
    expect(schema.find((each) => each.text.includes('  JWT_SECRET: Type.'))?.feature).toBe('auth-jwt');
  });
});

describe('filledPlacesOf', () => {
  const data = planProject(input(withDefaults({})), '1.0.0').data;

  it('keeps who put what at a place: texts in order, imports as each feature wrote them', () => {
    const features: Feature[] = [
      {
        id: 'a',
        snippets: [
          { place: 'p', text: 'a2', order: 2 },
          { place: 'i', import: "import { x } from 'm';" },
        ],
      },
      {
        id: 'b',
        snippets: [
          { place: 'p', text: 'b1', order: 1 },
          { place: 'p', text: () => '' },
          { place: 'i', import: "import { y } from 'm';" },
        ],
      },
    ];
    expect(filledPlacesOf(features, data)).toEqual({
      p: {
        texts: ['b1', 'a2'],
        contributions: [
          { feature: 'b', text: 'b1' },
          { feature: 'a', text: 'a2' },
        ],
      },
      i: {
        texts: ["import { x, y } from 'm';"],
        contributions: [
          { feature: 'a', text: "import { x } from 'm';", import: true },
          { feature: 'b', text: "import { y } from 'm';", import: true },
        ],
      },
    });
  });
});

describe('contributionChanges', () => {
  const at = (feature: string, place: string, text: string): Contribution => ({
    file: 'src/app.ts',
    feature,
    place,
    text,
  });

  it('tells added, removed and changed contributions apart, by file, feature and place', () => {
    const before = [at('base', 'appPlugins', 'a'), at('old', 'appPlugins', 'o'), at('same', 'appPlugins', 's')];
    const after = [at('base', 'appPlugins', 'b'), at('same', 'appPlugins', 's'), at('new', 'appImports', 'n')];
    expect(contributionChanges(before, after)).toEqual([
      { path: 'src/app.ts', feature: 'base', place: 'appPlugins', change: 'changed' },
      { path: 'src/app.ts', feature: 'new', place: 'appImports', change: 'added' },
      { path: 'src/app.ts', feature: 'old', place: 'appPlugins', change: 'removed' },
    ]);
  });

  it('says which cache left app.ts and which came', async () => {
    // To the cache that counts rate limits too (it fills a place of the base's rate limit registration).
    const [from, to] = ['memory', 'redis'];
    const stack = cases.find((each) => each.stack.cache === from)?.stack as Stack;
    const before = await contributionsOf(planProject(input(stack), '0.0.0-test'));
    const after = await contributionsOf(planProject(input({ ...stack, cache: to } as Stack), '0.0.0-test'));
    const app = contributionChanges(before, after).filter((each) => each.path === 'src/app.ts');
    expect(app).toEqual(
      expect.arrayContaining([
        { path: 'src/app.ts', feature: `cache-${to}`, place: 'appImports', change: 'added' },
        { path: 'src/app.ts', feature: `cache-${to}`, place: 'appPlugins', change: 'added' },
        { path: 'src/app.ts', feature: `cache-${from}`, place: 'appImports', change: 'removed' },
        { path: 'src/app.ts', feature: `cache-${from}`, place: 'appPlugins', change: 'removed' },
      ]),
    );
    // The rate limit registration is a `_places/` template of the base with a place of its own: a
    // cache may fill that place, which is its contribution, not a change of the base's.
    expect(app.filter((each) => each.feature === 'base')).toEqual([]);
  });
});
