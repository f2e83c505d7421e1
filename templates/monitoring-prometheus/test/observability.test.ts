import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildTestApp } from './helpers.js';

const read = (path: string) =>
  readFileSync(new URL(`../observability/${path}`, import.meta.url), 'utf8');

// PromQL words that are not metric names, and the series Prometheus makes itself.
const PROMQL_WORDS = new Set(['sum', 'rate', 'histogram_quantile', 'by', 'without']);
const MADE_BY_PROMETHEUS = new Set(['up']);

/** The metric names a PromQL expression reads. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // range selectors
    .replace(/\b(by|without)\s*\([^)]*\)/g, ' '); // grouping labels
  return [...bare.matchAll(/[a-zA-Z_:][\w:]*/g)]
    .map(([name]) => name)
    .filter((name) => !PROMQL_WORDS.has(name) && !MADE_BY_PROMETHEUS.has(name));
}

/** Every series name /metrics can answer, histogram and summary parts included. */
function exportedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name as string);
    if (type === 'histogram')
      for (const part of ['_bucket', '_sum', '_count']) names.add(`${name}${part}`);
    if (type === 'summary') for (const part of ['_sum', '_count']) names.add(`${name}${part}`);
  }
  return names;
}

describe('observability configuration', () => {
  let app: FastifyInstance;
  let exported: Set<string>;
  beforeAll(async () => {
    app = await buildTestApp();
    // One request of traffic (answered 401 when items need a credential), so its series exist.
    await app.inject('/v1/items');
    exported = exportedNames((await app.inject('/metrics')).body);
  });
  afterAll(() => app.close());

  it('scrapes the service and loads the alert rules', () => {
    const config = parse(read('prometheus/prometheus.yml'));
    expect(config.rule_files).toEqual(['alerts.yml']);
    expect(config.scrape_configs[0]).toMatchObject({ job_name: 'api', metrics_path: '/metrics' });
  });

  it('alerts only on metrics the service exports', () => {
    const rules = parse(read('prometheus/alerts.yml')).groups.flatMap(
      (group: { rules: { alert: string; expr: string }[] }) => group.rules,
    );
    expect(rules.map((rule: { alert: string }) => rule.alert)).toEqual(
      expect.arrayContaining([
        'InstanceDown',
        'HighErrorRate',
        'HighLatencyP99',
        'EventLoopSaturated',
      ]),
    );
    for (const rule of rules) {
      for (const name of metricNames(rule.expr)) {
        expect(exported, `${rule.alert}: ${name}`).toContain(name);
      }
    }
  });

  it('charts only metrics the service exports', () => {
    const dashboard = JSON.parse(read('grafana/dashboards/api.json'));
    const exprs: string[] = dashboard.panels.flatMap((panel: { targets: { expr: string }[] }) =>
      panel.targets.map((target) => target.expr),
    );
    expect(exprs.length).toBeGreaterThan(5);
    for (const expr of exprs) {
      for (const name of metricNames(expr)) {
        expect(exported, `${expr}: ${name}`).toContain(name);
      }
    }
  });

  it('provisions Prometheus as the datasource the dashboard uses', () => {
    const datasources = parse(read('grafana/provisioning/datasources/prometheus.yml')).datasources;
    expect(datasources[0]).toMatchObject({ type: 'prometheus', uid: 'prometheus' });
    const providers = parse(read('grafana/provisioning/dashboards/dashboards.yml')).providers;
    expect(providers[0].options.path).toBe('/var/lib/grafana/dashboards');
  });
});
