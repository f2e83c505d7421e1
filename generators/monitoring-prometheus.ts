import type { Feature } from './feature.js';

/**
 * Prometheus metrics on /metrics (RED metrics by route pattern, process metrics), with
 * scrape config, alert rules and a Grafana dashboard under observability/.
 */
export const monitoringPrometheus: Feature = {
  id: 'monitoring-prometheus',
  dependencies: ['prom-client'],
  // The tests read the Prometheus and Grafana configuration.
  devDependencies: ['yaml'],
};
