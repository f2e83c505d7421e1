import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { type Config, loadConfig } from '../src/config.js';
import { runMigrations } from '../src/db/migrate.js';

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: 'file::memory:',
    ...env,
  });
}

export interface TestAppOptions {
  env?: Record<string, string>;
  logStream?: NodeJS.WritableStream;
  /** Adds test-only routes before the app is sealed. */
  extend?: (app: FastifyInstance) => void;
}

/** A ready app on a fresh in-memory database with every migration applied. */
export async function buildTestApp(options: TestAppOptions = {}): Promise<FastifyInstance> {
  const app = await buildApp(testConfig(options.env), options.logStream);
  options.extend?.(app);
  await app.ready();
  runMigrations(app.database);
  return app;
}

export const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

/** Asserts the RFC 9457 shape every error of this API has, and returns the body. */
export function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
) {
  const body = response.json() as Record<string, unknown>;
  if (response.statusCode !== status) {
    throw new Error(`expected ${status}, got ${response.statusCode}: ${JSON.stringify(body)}`);
  }
  if (response.headers['content-type'] !== PROBLEM_TYPE) {
    throw new Error(`not a problem content type: ${String(response.headers['content-type'])}`);
  }
  for (const field of ['type', 'title', 'status', 'detail', 'instance', 'requestId']) {
    if (!(field in body)) throw new Error(`problem lacks ${field}: ${JSON.stringify(body)}`);
  }
  if (body.status !== status) throw new Error(`problem status ${String(body.status)}`);
  if (body.requestId !== response.headers['x-request-id']) throw new Error('requestId mismatch');
  return body;
}
