import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { base } from '../../generators/base.js';
import { composeFileFor } from '../../generators/compose.js';
import type { Feature } from '../../generators/feature.js';
import { featuresFor } from '../../generators/index.js';
import { withDefaults } from '../../src/options.js';
import { toYaml } from '../../src/yaml.js';

const read = (text: string) => parse(text, { merge: true });

describe('toYaml', () => {
  it('writes every string so that YAML reads it back as the same string', () => {
    const tricky = [
      '3000:3000',
      '15s',
      'no',
      'On',
      'null',
      '~',
      '',
      '.',
      '.5',
      '.inf',
      '1e3',
      '0x1F',
      'a: b',
      '# not a comment',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a compose interpolation, on purpose.
      '${JWT_SECRET:?set it}',
      'redis://redis:6379',
      'file:/app/data/app.db',
      'ends with colon:',
      '- dash',
      '"quoted"',
      "it's",
      'tab\there',
      'line\nbreak',
    ];
    const map = Object.fromEntries(tricky.map((value, index) => [`k${index}`, value]));
    expect(read(toYaml(map))).toEqual(map);
    expect(read(toYaml({ list: tricky }))).toEqual({ list: tricky });
  });

  it('keeps numbers and booleans, nests mappings, and writes null and empty mappings', () => {
    const value = { a: 1, b: true, c: { d: { e: 'f' } }, g: null, h: {} };
    expect(read(toYaml(value))).toEqual(value);
    expect(toYaml(value)).toBe('a: 1\nb: true\nc:\n  d:\n    e: f\ng:\nh: {}\n');
  });

  it('refuses lists of mappings rather than writing them wrong', () => {
    expect(() => toYaml({ list: [{ a: 'b' }] as never })).toThrow('only lists of scalars');
  });
});

const server = (name: string, extra: Partial<Feature['compose']> = {}): Feature => ({
  id: `test-${name}`,
  compose: {
    environment: { [`${name.toUpperCase()}_URL`]: `${name}://${name}:1` },
    services: {
      [name]: {
        comment: `the ${name} server`,
        neededByApp: true,
        image: `${name}:1`,
        ports: ['127.0.0.1:1:1'],
        healthcheck: { test: ['CMD', 'true'], interval: '5s', timeout: '3s', retries: 10 },
        restart: 'unless-stopped',
      },
    },
    volumes: [name],
    ...extra,
  },
});

describe('composeFileFor', () => {
  it('runs a one-shot migration, then the api, with the settings every feature declares', () => {
    const compose = read(composeFileFor(featuresFor(withDefaults({}))));
    // The default --monitoring prometheus brings Prometheus and Grafana, which the app does not wait for.
    expect(Object.keys(compose.services)).toEqual(['migrate', 'api', 'prometheus', 'grafana']);
    const { migrate, api } = compose.services;
    expect(migrate).toMatchObject({ build: '.', command: ['node', 'scripts/db-migrate.js'], restart: 'no' });
    expect(api).toMatchObject({
      build: '.',
      ports: ['3000:3000'],
      depends_on: { migrate: { condition: 'service_completed_successfully' } },
      stop_grace_period: '15s',
      volumes: ['data:/app/data'],
    });
    expect(api.environment).toEqual(migrate.environment);
    expect(api.environment).toMatchObject({
      NODE_ENV: 'production',
      DATABASE_URL: 'file:/app/data/app.db',
      JWT_SECRET: expect.stringMatching(/^\$\{JWT_SECRET:\?/),
    });
    expect(compose.volumes).toEqual({ data: null, prometheus: null, grafana: null });
  });

  it('adds each declared server, and makes the migration and the api wait until it is healthy', () => {
    const features = [
      ...featuresFor(withDefaults({ auth: ['none'], monitoring: ['none'] })),
      server('db'),
      server('cache'),
    ];
    const text = composeFileFor(features);
    const compose = read(text);
    expect(Object.keys(compose.services)).toEqual(['migrate', 'api', 'db', 'cache']);
    expect(compose.services.db).toEqual({
      image: 'db:1',
      ports: ['127.0.0.1:1:1'],
      healthcheck: { test: ['CMD', 'true'], interval: '5s', timeout: '3s', retries: 10 },
      restart: 'unless-stopped',
    });
    for (const name of ['migrate', 'api']) {
      expect(compose.services[name].depends_on).toMatchObject({
        db: { condition: 'service_healthy' },
        cache: { condition: 'service_healthy' },
      });
      expect(compose.services[name].environment).toMatchObject({ DB_URL: 'db://db:1', CACHE_URL: 'cache://cache:1' });
    }
    expect(text).toContain('  # the db server\n  db:\n');
    expect(compose.volumes).toEqual({ data: null, db: null, cache: null });
  });

  it('leaves out of depends_on a server the app does not need (e.g. a monitoring stack)', () => {
    const scraper: Feature = {
      id: 'test-scraper',
      compose: {
        services: { scraper: { image: 'scraper:1', depends_on: { api: { condition: 'service_healthy' } } } },
      },
    };
    const compose = read(composeFileFor([...featuresFor(withDefaults({})), scraper]));
    expect(compose.services.api.depends_on).not.toHaveProperty('scraper');
    expect(compose.services.scraper.depends_on).toEqual({ api: { condition: 'service_healthy' } });
  });

  it('sends traces to a collector that forwards them to Jaeger; the app waits for neither', () => {
    const compose = read(composeFileFor(featuresFor(withDefaults({ monitoring: ['prometheus', 'opentelemetry'] }))));
    expect(Object.keys(compose.services)).toEqual([
      'migrate',
      'api',
      'prometheus',
      'grafana',
      'otel-collector',
      'jaeger',
    ]);
    expect(compose.services.api.environment.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel-collector:4318');
    expect(Object.keys(compose.services.api.depends_on)).toEqual(['migrate']);
    expect(compose.services['otel-collector']).toMatchObject({
      image: expect.stringMatching(/^otel\/opentelemetry-collector-contrib:\d+\.\d+\.\d+$/),
      depends_on: { jaeger: { condition: 'service_started' } },
      ports: ['127.0.0.1:4318:4318'],
    });
    expect(compose.services.jaeger.image).toMatch(/^jaegertracing\/jaeger:\d+\.\d+\.\d+$/);
  });

  it('refuses a needed server without a health check, and two features declaring one service', () => {
    const unchecked: Feature = {
      id: 'test-unchecked',
      compose: { services: { db: { image: 'db:1', neededByApp: true } } },
    };
    expect(() => composeFileFor([base, unchecked])).toThrow('db is needed by the app but has no health check');
    expect(() => composeFileFor([base, server('db'), server('db')])).toThrow('Two features declare db');
  });
});
