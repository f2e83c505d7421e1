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
  compose: {
    services: {
      elasticsearch: {
        comment: 'One node with security off: for one machine, never for production.',
        image: 'docker.elastic.co/elasticsearch/elasticsearch:8.19.0',
        environment: {
          'discovery.type': 'single-node',
          'xpack.security.enabled': 'false',
          ES_JAVA_OPTS: '-Xms512m -Xmx512m',
        },
        ports: ['127.0.0.1:9200:9200'],
        volumes: ['elasticsearch:/usr/share/elasticsearch/data'],
        healthcheck: {
          test: ['CMD-SHELL', 'curl -fs http://127.0.0.1:9200/_cluster/health'],
          interval: '10s',
          timeout: '5s',
          retries: 30,
        },
        restart: 'unless-stopped',
      },
      kibana: {
        comment: 'Search the logs on http://127.0.0.1:5601.',
        image: 'docker.elastic.co/kibana/kibana:8.19.0',
        environment: { ELASTICSEARCH_HOSTS: 'http://elasticsearch:9200' },
        ports: ['127.0.0.1:5601:5601'],
        depends_on: { elasticsearch: { condition: 'service_healthy' } },
        restart: 'unless-stopped',
      },
      filebeat: {
        comment: "Ships the api container's log lines (observability/filebeat/filebeat.yml); root reads them.",
        image: 'docker.elastic.co/beats/filebeat:8.19.0',
        user: 'root',
        command: ['filebeat', '-e', '--strict.perms=false'],
        volumes: [
          './observability/filebeat/filebeat.yml:/usr/share/filebeat/filebeat.yml:ro',
          '/var/lib/docker/containers:/var/lib/docker/containers:ro',
          '/var/run/docker.sock:/var/run/docker.sock:ro',
        ],
        depends_on: { elasticsearch: { condition: 'service_healthy' } },
        restart: 'unless-stopped',
      },
    },
    volumes: ['elasticsearch'],
  },
  snippets: [
    // src/plugins/logging.ts writes ECS in place of its own fields.
    { place: 'loggingImports', import: "import { ecsFormat } from '@elastic/ecs-pino-format';" },
    { place: 'loggerOptions', template: 'logger-options.ts.hbs' },
    {
      place: 'accessLogFields',
      text: `          http: {
            request: { method: request.method },
            response: { status_code: reply.statusCode },
          },
          url: { original: request.url },
          // ECS durations are in nanoseconds.
          event: { duration: Math.round(reply.elapsedTime * 1e6) },`,
    },
  ],
  readme: [
    { place: 'readmeStack', order: 42, text: ', logs in Elastic Common Schema for ELK' },
    { place: 'readmeLogFormat', text: ', in Elastic Common Schema' },
    {
      place: 'readmeObservability',
      order: 10,
      text: '`observability/filebeat/filebeat.yml` (ships the logs to Elasticsearch for Kibana), ',
    },
  ],
  tests: [
    {
      place: 'shutdownListeningMatch',
      text: '      const match = /"message":"Server listening at http:\\/\\/127\\.0\\.0\\.1:(\\d+)"/.exec(output);',
    },
    { place: 'shutdownAccessLine', template: 'test-shutdown-access.ts.hbs' },
    { place: 'loggingAccessLines', template: 'test-logging-access.ts.hbs' },
    { place: 'loggingUnroutedAccessLines', template: 'test-logging-unrouted.ts.hbs' },
    { place: 'loggingRefusedMessage', text: "        message: 'request refused'," },
  ],
};
