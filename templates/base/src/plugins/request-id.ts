import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';

// Bounded and log-safe: an incoming id cannot inject newlines or flood the logs.
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Fastify `genReqId`: keeps a caller's valid `x-request-id` so traces join up across services. */
export function genReqId(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

export default fp(
  async (fastify) => {
    // A callback hook: no promise to allocate on every request.
    const setRequestId: onRequestHookHandler = (request, reply, done) => {
      reply.header('x-request-id', request.id);
      done();
    };
    fastify.addHook('onRequest', setRequestId);
    fastify.unroutedHooks.onRequest.push(setRequestId);
  },
  { name: 'request-id', dependencies: ['errors'] },
);
