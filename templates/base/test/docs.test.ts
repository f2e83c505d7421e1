import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from './helpers.js';

describe('/docs', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('serves an OpenAPI 3 document listing every route and method', async () => {
    const response = await app.inject('/docs/json');
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    const operations = Object.entries(document.paths as Record<string, object>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'GET /health/live',
        'GET /health/ready',
        'GET /v1/items',
        'POST /v1/items',
        'GET /v1/items/{id}',
        'PATCH /v1/items/{id}',
        'DELETE /v1/items/{id}',
      ]),
    );
    expect(document.paths['/v1/items'].post.requestBody.content['application/json'].schema).toEqual(
      expect.objectContaining({ additionalProperties: false }),
    );
  });

  it('serves the UI', async () => {
    const response = await app.inject('/docs/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
  });
});
