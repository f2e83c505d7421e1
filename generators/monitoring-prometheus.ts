import type { Feature } from './feature.js';

/** Prometheus metrics on /metrics: RED histogram by route pattern, process metrics. */
export const monitoringPrometheus: Feature = {
  id: 'monitoring-prometheus',
  dependencies: ['prom-client'],
};
