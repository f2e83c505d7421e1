import { randomUUID } from 'node:crypto';
import type { onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's own valid `x-request-id`, echoed in the answer and logged beside `reqId`. */
    clientRequestId?: string;
  }
}

// Bounded and log-safe: an incoming id cannot inject newlines or flood the logs.
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Fastify `genReqId`: the id of every log line of the request, always made here. Callers choose
 * their own ids, so two callers' ids can collide; theirs is kept as `clientRequestId`.
 */
export function genReqId(): string {
  return randomUUID();
}

/** The id a caller sees: its own valid `x-request-id`, so traces join up across services. */
export const visibleRequestId = (request: { id: string; clientRequestId?: string }) =>
  request.clientRequestId ?? request.id;

export default fp(
  async (fastify) => {
    // A callback hook: no promise to allocate on every request.
    const setRequestId: onRequestHookHandler = (request, reply, done) => {
      const incoming = request.headers['x-request-id'];
      if (typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming)) {
        request.clientRequestId = incoming;
        // Every line of the request, the access line included, names both ids.
        request.log = request.log.child({ clientRequestId: incoming });
        reply.log = request.log;
      }
      reply.header('x-request-id', visibleRequestId(request));
      done();
    };
    fastify.addHook('onRequest', setRequestId);
    fastify.unroutedHooks.onRequest.push(setRequestId);
  },
  { name: 'request-id', dependencies: ['errors'] },
);
