import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import type { onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

export interface SecurityOptions {
  /** Exact origins allowed to call the API from a browser; empty means none. */
  corsOrigins: string[];
}

/**
 * The security headers of a JSON API (OWASP's REST cheat sheet), worked out once by
 * helmet. They do not depend on the request, and running helmet's middleware per
 * request rebuilds them all: measured at about 60 µs a request, more than the rest
 * of a probe. /docs sets its own policy for the Swagger UI page.
 */
function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet({
    // An API answers JSON, never a page: nothing may load in it, nothing may frame it.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    frameguard: { action: 'deny' },
    // These only change how a browser treats an HTML document.
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  })({} as IncomingMessage, response as unknown as ServerResponse, () => {});
  return headers;
}

export const SECURITY_HEADERS = helmetHeaders();

export default fp<SecurityOptions>(
  async (fastify, opts) => {
    const setHeaders: onRequestHookHandler = (_request, reply, done) => {
      reply.headers(SECURITY_HEADERS);
      done();
    };
    fastify.addHook('onRequest', setHeaders);
    fastify.unroutedHooks.onRequest.push(setHeaders);
    // JSON only: Fastify also reads text/plain bodies, which, like forms, a browser sends to
    // another site without asking it first (no CORS preflight). Any other type is a 415.
    fastify.removeContentTypeParser('text/plain');
    // With no allowlist there is nothing to answer: without CORS headers a browser
    // refuses every cross-origin read. @fastify/cors defaults to `*`, so it always
    // gets the list.
    if (opts.corsOrigins.length > 0) await fastify.register(cors, { origin: opts.corsOrigins });
  },
  { name: 'security', dependencies: ['errors'] },
);
