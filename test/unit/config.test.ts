import { describe, expect, it } from 'vitest';
import { commaList, configPlaces, quote } from '../../generators/config.js';
import type { ConfigSchema, Feature, SnippetData } from '../../generators/feature.js';
import { featureModules, featuresFor } from '../../generators/index.js';
import { withDefaults } from '../../src/options.js';
import { planProject } from '../../src/plan.js';

const data = planProject({ name: 'shop', stack: withDefaults({}), pm: 'npm' }, '1.0.0').data as SnippetData;

/** The config places of one feature declaring one variable. */
function placesOfOne(name: string, schema: ConfigSchema, more: Partial<Feature> = {}) {
  return configPlaces([{ id: 'one', env: [{ name, value: '', comment: 'x', schema }], ...more }], data);
}

describe('config entries', () => {
  it('quotes as Biome does: single quotes unless double ones escape less', () => {
    expect(quote('a\\s')).toBe("'a\\\\s'");
    expect(quote("the provider's")).toBe('"the provider\'s"');
    expect(quote('"make one up"')).toBe('\'"make one up"\'');
  });

  it('writes a schema entry on one line when it fits in 100 columns, else one property per line', () => {
    const short = placesOfOne('MAX', { type: 'integer', minimum: 1, default: 10, description: 'an integer >= 1' });
    expect(short.configSchema).toEqual([
      "  MAX: Type.Integer({ minimum: 1, default: 10, description: 'an integer >= 1' }),",
    ]);
    const long = placesOfOne('LOAD_SHED_EVENT_LOOP_DELAY_MS', {
      type: 'integer',
      minimum: 1,
      default: 1000000,
      description: 'an integer >= 1',
    });
    expect(long.configSchema).toEqual([
      "  LOAD_SHED_EVENT_LOOP_DELAY_MS: Type.Integer({\n    minimum: 1,\n    default: 1000000,\n    description: 'an integer >= 1',\n  }),",
    ]);
  });

  it('puts a value too long for its key on the next line, and refines inside Type.Refine', () => {
    const places = placesOfOne('LIST', {
      type: 'string',
      default: '',
      description: 'x'.repeat(100),
      comment: 'Why.',
      refine: '(value) => value.length < 5',
    });
    expect(places.configSchema).toEqual([
      `  // Why.\n  LIST: Type.Refine(\n    Type.String({\n      default: '',\n      description:\n        '${'x'.repeat(100)}',\n    }),\n    (value) => value.length < 5,\n  ),`,
    ]);
  });

  it('assembles the Config type from the derived fields, and leaves it Env without any', () => {
    expect(placesOfOne('A', { type: 'string', default: '', description: 'a' }).configType).toEqual([
      'export type Config = Env;',
    ]);
    const places = placesOfOne('LIST', {
      type: 'string',
      default: '',
      description: 'a list',
      derived: commaList('LIST'),
    });
    expect(places.configType).toEqual([
      'type Derived = {\n  LIST: string[];\n};\n\nexport type Config = Omit<Env, keyof Derived> & Derived;',
    ]);
    expect(places.configDerived).toEqual(["    LIST: parsed.LIST ? parsed.LIST.split(',') : [],"]);
  });

  it('never echoes a redacted value, and checks what production requires', () => {
    const places = placesOfOne('SECRET', {
      type: 'string',
      default: '',
      description: 'a secret',
      redacted: true,
      requiredInProduction: { why: 'Because.', hint: '(long)' },
      rejects: 'short',
    });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the generated code's template literal.
    expect(places.configProblem?.[0]).toContain("key === 'SECRET' ? `${raw[key]?.length} characters`");
    expect(places.configChecks).toEqual([
      "  // Because.\n  if (candidate.NODE_ENV === 'production' && !candidate.SECRET) {\n    problems.push('SECRET: required when NODE_ENV=production (long)');\n  }",
    ]);
    expect(places.configTestRefused).toEqual([
      "      ['SECRET', 'short', 'SECRET: expected a secret, got 5 characters'],",
    ]);
  });

  it('gives every variable of every feature module a README row', () => {
    for (const feature of Object.values(featureModules)) {
      const features = featuresFor(withDefaults({}))
        .filter((each) => each.id !== feature.id)
        .concat(feature);
      const rows = configPlaces(features, data).readmeEnvironment ?? [];
      for (const variable of features.flatMap((each) => each.env ?? [])) {
        expect(rows.some((row) => row.startsWith('| ') && row.includes(`\`${variable.name}\``))).toBe(true);
      }
    }
  });
});
