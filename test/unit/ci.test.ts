import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ciDoctorStepFor, ciServicesFor } from '../../generators/ci-github.js';
import type { Feature } from '../../generators/feature.js';
import { featuresFor } from '../../generators/index.js';
import { withDefaults } from '../../src/options.js';

/** The job's services and variables, read back as YAML (they sit under `jobs.check`). */
const job = (features: readonly Feature[]) => parse(ciServicesFor(features).replace(/^ {4}/gm, '')) ?? {};

describe('the CI services the features declare', () => {
  it('adds none where the tests need no server', () => {
    expect(ciServicesFor(featuresFor(withDefaults({})))).toBe('');
  });

  it('runs each server the stack needs, with the variables that reach it', () => {
    const { services, env } = job(featuresFor(withDefaults({ db: 'postgres', cache: 'redis' })));
    expect(Object.keys(services)).toEqual(['postgres', 'redis']);
    expect(services.postgres.ports).toEqual(['5432:5432']);
    expect(services.postgres.options).toBe(
      '--health-cmd "pg_isready -U postgres" --health-interval 5s --health-timeout 3s --health-retries 10',
    );
    expect(env).toEqual({ DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:5432/app' });
  });

  it('writes the first feature’s note above the services, and keeps lines to 100 columns', () => {
    const text = ciServicesFor(featuresFor(withDefaults({ db: 'mysql', cache: 'memcached' })));
    expect(text.split('\n').slice(0, 2)).toEqual([
      '    # The tests run against real servers; each test app makes a database of its own.',
      '    services:',
    ]);
    expect(text.split('\n').filter((line) => line.length > 100)).toEqual([]);
  });

  it('refuses two features declaring one service', () => {
    const server = { image: 'x:1', ports: ['1:1'] };
    const features: Feature[] = [
      { id: 'a', ci: { services: { db: server } } },
      { id: 'b', ci: { services: { db: server } } },
    ];
    expect(() => ciServicesFor(features)).toThrow('Two features declare the CI service db');
  });

  it('asks the doctor for the highest score a feature reaches, and says why it is under 100', () => {
    expect(ciDoctorStepFor([{ id: 'a' }], '1.0.0')).toBe(
      '      # The project has no metrics, which costs it 20 of 100 on mistake 6.\n' +
        '      - run: npx --yes create-sound-backend@1.0.0 doctor --min-score 96',
    );
    expect(ciDoctorStepFor([{ id: 'a' }, { id: 'b', ci: { doctorScore: 100 } }], '1.0.0')).toBe(
      '      - run: npx --yes create-sound-backend@1.0.0 doctor --min-score 100',
    );
  });
});
