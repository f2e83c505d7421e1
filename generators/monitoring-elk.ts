import type { Feature } from './feature.js';

/**
 * Logs in the Elastic Common Schema on stdout, and a Filebeat configuration that ships
 * them to Elasticsearch for Kibana.
 */
export const monitoringElk: Feature = {
  id: 'monitoring-elk',
  dependencies: ['@elastic/ecs-pino-format'],
  // The tests read the Filebeat configuration.
  devDependencies: ['yaml'],
};
