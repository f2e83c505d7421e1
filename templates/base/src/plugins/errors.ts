import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type {
  ConnectionError,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
  onResponseHookHandler,
} from 'fastify';
import fp from 'fastify-plugin';
import { databaseProblem } from '../db/errors.js';
import { HttpProblem } from '../errors.js';
import { visibleRequestId } from './request-id.js';
import { SECURITY_HEADERS } from './security.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The hooks of a request Fastify refuses before routing it (see `frameworkErrors`), for
     * which it runs none of the app's own. A plugin whose hook must cover every response (the
     * request id, the security headers, the access line, the metrics) adds it here as well. They
     * are called one after the other, so each must call `done` before it returns.
     */
    unroutedHooks: { onRequest: onRequestHookHandler[]; onResponse: onResponseHookHandler[] };
  }
}

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

function problemOf(status: number, detail: string, instance: string, requestId: string): Problem {
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance,
    requestId,
  };
}

function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  detail: string,
  extra: Partial<Problem> = {},
) {
  const problem: Problem = {
    ...problemOf(status, detail, request.url, visibleRequestId(request)),
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

function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
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
}

const done = () => {};

/**
 * Fastify's `frameworkErrors`. A URL its router cannot take (a malformed percent-encoding, a
 * path parameter over `maxParamLength`) is answered before routing, where none of the app's
 * hooks run and its error handler is not called. This runs the hooks of `unroutedHooks` and
 * answers through the same error handler. (`reply.elapsedTime` is 0 here: Fastify starts that
 * clock for routed requests only.)
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const { server } = request;
  const { onRequest, onResponse } = server.unroutedHooks;
  reply.raw.once('finish', () => {
    for (const hook of onResponse) hook.call(server, request, reply, done);
  });
  for (const hook of onRequest) hook.call(server, request, reply, done);
  handleError(error, request, reply);
}

const CLIENT_ERRORS: Record<string, { status: number; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'The request did not arrive in time.' },
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'The request headers are too large.' },
};
const MALFORMED = { status: 400, detail: 'The request is not valid HTTP.' };

/** The target of the request line Node could not read past, when it has one. */
function requestTarget(rawPacket: unknown): string | undefined {
  if (!Buffer.isBuffer(rawPacket)) return undefined;
  const requestLine = /^[A-Z]+ (\/[!-~]*) HTTP\/1\.[01]\r\n/;
  return requestLine.exec(rawPacket.toString('latin1', 0, 8192))?.[1];
}

/**
 * Fastify's `clientErrorHandler`. Node's HTTP parser refuses a request it cannot read (an
 * invalid Content-Length, headers over the size limit, a request too slow to arrive) before
 * Fastify sees it: there is no request to route or hook, and no header to trust, not even an
 * `x-request-id`. The answer is still a problem with a new request id and the security
 * headers, and it is logged (never its raw bytes, which may hold credentials).
 */
export function clientErrorHandler(this: FastifyInstance, error: ConnectionError, socket: Socket) {
  // A connection the client reset has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, detail } = CLIENT_ERRORS[error.code] ?? MALFORMED;
  const requestId = randomUUID();
  const problem = problemOf(status, detail, requestTarget(error.rawPacket) ?? '/', requestId);
  const body = JSON.stringify(problem);
  const headers = {
    ...SECURITY_HEADERS,
    'x-request-id': requestId,
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  this.log.info({ reqId: requestId, statusCode: status, code: error.code }, 'request refused');
  const response = `HTTP/1.1 ${status} ${problem.title}\r\n${head.join('')}\r\n${body}`;
  if (socket.writable) socket.write(response);
  socket.destroy(error);
}

/** The one place where errors become RFC 9457 problem responses. */
export default fp(
  async (fastify) => {
    fastify.decorate('unroutedHooks', { onRequest: [], onResponse: [] });
    fastify.setErrorHandler(handleError);

    fastify.setNotFoundHandler((request, reply) =>
      sendProblem(request, reply, 404, `No route for ${request.method} ${request.url}`),
    );
  },
  { name: 'errors' },
);
