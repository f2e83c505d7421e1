import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { databaseProblem } from '../db/errors.js';
import { HttpProblem } from '../errors.js';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

// What a client may learn about a server-side failure: its kind, never its cause.
const MASKED_DETAIL: Record<number, string> = {
  503: 'The service is temporarily unavailable. Retry later.',
};

function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  detail: string,
  extra: Partial<Problem> = {},
) {
  const problem: Problem = {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance: request.url,
    requestId: request.id,
    ...extra,
  };
  return reply.status(status).type('application/problem+json').send(problem);
}

// Ajv reports an unknown or missing property on its parent object: name the property itself.
function issuePath(
  context: string | undefined,
  issue: { instancePath: string; params: Record<string, unknown> },
): string {
  const property = issue.params.additionalProperty ?? issue.params.missingProperty;
  const suffix = typeof property === 'string' ? `/${property}` : '';
  return `${context ?? ''}${issue.instancePath}${suffix}`;
}

function statusOf(error: FastifyError): number {
  const status = error.statusCode ?? 500;
  return status >= 400 && status <= 599 ? status : 500;
}

/** The one place where errors become RFC 9457 problem responses. */
export default fp(
  async (fastify) => {
    fastify.setErrorHandler((error: FastifyError, request, reply) => {
      // A database error the client can act on (a taken value, an outage) has its own problem.
      const problem = error instanceof HttpProblem ? error : databaseProblem(error);
      const status = problem?.statusCode ?? statusOf(error);
      if (status >= 500) request.log.error({ err: error }, 'request failed');

      if (problem) {
        if (status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', 5);
        return sendProblem(request, reply, status, problem.message, problem.extensions);
      }
      if (error.validation) {
        return sendProblem(request, reply, status, error.message, {
          errors: error.validation.map((issue) => ({
            path: issuePath(error.validationContext, issue),
            message: issue.message ?? 'is invalid',
          })),
        });
      }
      const detail =
        status >= 500 ? (MASKED_DETAIL[status] ?? 'An unexpected error occurred.') : error.message;
      return sendProblem(request, reply, status, detail);
    });

    fastify.setNotFoundHandler((request, reply) =>
      sendProblem(request, reply, 404, `No route for ${request.method} ${request.url}`),
    );
  },
  { name: 'errors' },
);
