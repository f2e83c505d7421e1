import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildTestApp } from './helpers.js';

describe('logs in the Elastic Common Schema', () => {
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp({
      env: { LOG_LEVEL: 'info' },
      logStream,
      extend: (instance) => {
        instance.get('/broken', async () => {
          throw new Error('the disk is full');
        });
      },
    });
  });
  afterAll(() => app.close());

  it('writes @timestamp, log.level, message and ecs.version on every line', async () => {
    lines.length = 0;
    await app.inject({ url: '/health/live', headers: { 'x-request-id': 'ecs-one' } });
    const [line] = lines.map((text) => JSON.parse(text));
    expect(line).toMatchObject({
      'log.level': 'info',
      message: 'request completed',
      reqId: 'ecs-one',
      'ecs.version': expect.any(String),
      'process.pid': process.pid,
      'service.name': 'elk',
    });
    expect(new Date(line['@timestamp']).toISOString()).toBe(line['@timestamp']);
  });

  it('logs a failure as ECS error fields', async () => {
    lines.length = 0;
    expect((await app.inject('/broken')).statusCode).toBe(500);
    const failure = lines
      .map((text) => JSON.parse(text))
      .find((line) => line['log.level'] === 'error');
    expect(failure?.error).toMatchObject({ type: 'Error', message: 'the disk is full' });
    expect(failure?.error.stack_trace).toContain('the disk is full');
  });

  it('ships the api container logs to Elasticsearch, ECS keys expanded', () => {
    const config = parse(
      readFileSync(new URL('../observability/filebeat/filebeat.yml', import.meta.url), 'utf8'),
    );
    const [template] = config['filebeat.autodiscover'].providers[0].templates;
    expect(template.condition.equals['docker.container.labels.com_docker_compose_service']).toBe(
      'api',
    );
    const ndjson = template.config[0].parsers.find(
      (parser: Record<string, unknown>) => 'ndjson' in parser,
    ).ndjson;
    expect(ndjson).toMatchObject({ target: '', expand_keys: true });
    expect(config['output.elasticsearch'].hosts).toEqual(['http://elasticsearch:9200']);
  });
});
