import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStaticChecks } from '../../src/doctor/checks/index.js';
import { readProject } from '../../src/doctor/project.js';
import { linesOf } from './doctor-audit.js';

/** The findings of these checks on test/fixtures/doctor/<name>, exactly. */
function findings(name: string, ids: string[]): string[] {
  return linesOf(runStaticChecks(readProject(path.join(import.meta.dirname, '../fixtures/doctor', name))), ids);
}

const ERRORS = ['error-handler', 'error-leak', 'error-leak-development'];

describe('error handlers, recognised by their shape', () => {
  it('an Express middleware whose parameter list ends in a comma', () => {
    expect(findings('express-trailing-comma', ERRORS)).toEqual([
      "error-leak high: src/errors.ts:9 sends the error's message for every status, 5xx included",
    ]);
  });

  it("a routing-controllers middleware's error(error, request, response, next)", () => {
    expect(findings('routing-controllers', ERRORS)).toEqual([
      "error-leak high: src/error.middleware.ts:6 sends the error's message for every status, 5xx included",
    ]);
  });

  it('a stack sent only when NODE_ENV is development is low, a message sent only under 500 is fine', () => {
    expect(findings('development-stack', ERRORS)).toEqual([
      'error-leak-development low: app.js:6 sends the stack trace',
    ]);
  });

  it('a Koa middleware that catches what await next() throws', () => {
    expect(findings('koa-catch', ERRORS)).toEqual([
      "error-leak high: src/errors.js:6 sends the error's message for every status, 5xx included",
    ]);
  });

  it("Hono's onError", () => {
    expect(findings('hono-on-error', ERRORS)).toEqual([
      "error-leak high: src/index.ts:4 sends the error's message for every status, 5xx included",
      'error-leak high: src/index.ts:4 sends the stack trace',
    ]);
  });

  it('a Nest filter for HttpException only sends messages written for clients', () => {
    expect(findings('nest-http-filter', ERRORS)).toEqual([]);
  });
});

const SQL = ['sql-injection', 'sql-built'];

describe('SQL built from strings (taint-lite)', () => {
  it('query += a template with a value from req.query is an injection, even with no SELECT on that line', () => {
    expect(findings('sql-append-like', SQL)).toEqual([
      'sql-injection high: routes/books.js:8 SQL extended with += by a value, from req.query',
    ]);
  });

  it('SQL built from function parameters reaching knex.raw or $queryRawUnsafe is medium; a tagged template or a constant is not', () => {
    expect(findings('sql-built-raw', SQL)).toEqual([
      'sql-built medium: src/reports.ts:5 SQL in a template literal with interpolated values',
      'sql-built medium: src/reports.ts:9 SQL glued to a value with +',
    ]);
  });
});

describe('the misses', () => {
  it('secret fallbacks through process.env, an alias of it and destructuring; patterns and messages are not secrets', () => {
    expect(findings('secrets', ['secret-in-source'])).toEqual([
      'secret-in-source high: src/config.js:2 SESSION_SECRET falls back to a literal of 23 characters',
      'secret-in-source high: src/config.js:5 JWT_SECRET falls back to a literal of 11 characters',
      'secret-in-source high: src/config.js:6 API_KEY falls back to a literal of 17 characters',
    ]);
  });

  it('@fastify/cors with no origin, a session plugin with no store, rejectUnauthorized: false', () => {
    expect(findings('fastify-open', ['cors', 'in-memory-sessions', 'tls-verify'])).toEqual([
      'in-memory-sessions medium: src/app.ts:7 @fastify/session without a store keeps sessions in this process',
      'cors high: src/app.ts:6 @fastify/cors with no origin allows every origin',
      'tls-verify medium: src/app.ts:10 rejectUnauthorized: false accepts any certificate',
    ]);
  });

  it("NestJS @Body('article') with no ValidationPipe anywhere", () => {
    expect(findings('nest-body', ['input-validation'])).toEqual([
      "input-validation medium: src/articles.controller.ts:6 @Body('article') is not validated: no ValidationPipe is registered",
    ]);
  });
});
