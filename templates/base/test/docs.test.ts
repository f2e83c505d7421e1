import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from './helpers.js';

interface Response {
  headers?: Record<string, unknown>;
  content?: Record<string, unknown>;
}

interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema: { default?: unknown } }[];
  requestBody?: unknown;
  responses: Record<string, Response>;
}

interface Document {
  openapi: string;
  servers?: { url: string }[];
  security?: Record<string, string[]>[];
  components: { securitySchemes?: Record<string, unknown>; schemas: Record<string, unknown> };
  paths: Record<string, Record<string, Operation>>;
}

// Called by orchestrators, load balancers and metrics scrapers: no credential, no input, no limit.
const isProbe = (path: string) => path.startsWith('/health/') || path === '/metrics';

describe('/docs', () => {
  let app: FastifyInstance;
  let document: Document;
  let operations: { name: string; path: string; operation: Operation }[];
  beforeAll(async () => {
    app = await buildTestApp();
    const response = await app.inject('/docs/json');
    expect(response.statusCode).toBe(200);
    document = response.json();
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        name: `${method.toUpperCase()} ${path}`,
        path,
        operation,
      })),
    );
  });
  afterAll(() => app.close());

  it('serves an OpenAPI 3 document listing every route and method', async () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(operations.map(({ name }) => name)).toEqual(
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
    expect(document.paths['/v1/items']?.post?.requestBody).toMatchObject({
      content: { 'application/json': { schema: { additionalProperties: false } } },
    });
    // Relative: the API is wherever the document was fetched from.
    expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('names every operation with a unique camelCase operationId', () => {
    const ids = operations.map(({ operation }) => operation.operationId);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lists the error responses of each operation, each a problem of one shared schema', async () => {
    for (const { name, path, operation } of operations) {
      const statuses = Object.keys(operation.responses).map(Number);
      const errors = statuses.filter((status) => status >= 400);
      expect(errors, name).toContain(500);
      // Every operation but a probe can get a client error (at least the rate limiter's 429).
      const clientErrors = errors.filter((status) => status < 500);
      if (!isProbe(path)) expect(clientErrors, name).not.toEqual([]);
      for (const status of errors) {
        expect(operation.responses[status]?.content, `${name} ${status}`).toEqual({
          'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
        });
      }
      if (operation.requestBody) {
        expect(errors, name).toEqual(expect.arrayContaining([400, 413, 415]));
      }
      if (path.includes('{id}')) expect(errors, name).toContain(404);
      const headersOf = (status: number) => Object.keys(operation.responses[status]?.headers ?? {});
      for (const status of errors.filter((status) => status === 429 || status === 503)) {
        expect(headersOf(status), `${name} ${status}`).toContain('Retry-After');
      }
      if (errors.includes(429)) {
        const limits = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'];
        expect(headersOf(429), name).toEqual(expect.arrayContaining(limits));
      }
    }
  });

  it('describes the problems the error handler really sends', async () => {
    const problem = document.components.schemas.Problem as { required: string[] };
    const body = (await app.inject('/no-such-route')).json();
    expect(Object.keys(body)).toEqual(expect.arrayContaining(problem.required));
    expect(problem.required).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance', 'requestId']),
    );
  });

  it('asks for a credential on every operation but the public ones, and lists its 401', () => {
    const schemes = Object.keys(document.components.securitySchemes ?? {});
    // Either scheme will do: OpenAPI lists alternatives as separate entries.
    expect(document.security).toEqual(schemes.map((scheme) => ({ [scheme]: [] })));
    for (const { name, path, operation } of operations) {
      const security = operation.security ?? document.security ?? [];
      if (isProbe(path) || path.startsWith('/v1/auth/'))
        expect(operation.security, name).toEqual([]);
      if (path.startsWith('/v1/items')) expect(security.length > 0, name).toBe(schemes.length > 0);
      if (security.length > 0) expect(Object.keys(operation.responses), name).toContain('401');
    }
  });

  it('lists 409 where a unique name can clash', () => {
    expect(document.paths['/v1/items']?.post?.responses).toHaveProperty('409');
    expect(document.paths['/v1/items/{id}']?.patch?.responses).toHaveProperty('409');
  });

  it('marks query parameters with a default as optional', () => {
    const limit = document.paths['/v1/items']?.get?.parameters?.find(
      ({ name }) => name === 'limit',
    );
    expect(limit).toMatchObject({ in: 'query', required: false, schema: { default: 20 } });
  });

  it('serves the UI', async () => {
    const response = await app.inject('/docs/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
  });
});
