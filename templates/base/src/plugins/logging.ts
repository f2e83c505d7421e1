import type { FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';

const SECRET_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'password',
  'token',
  'refreshToken',
  'accessToken',
  'apiKey',
];

// pino matches exact paths only, so each secret key is listed at the depths where
// logged objects carry it (a header map, a body, a nested object in a body).
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => {
  const segment = `["${key}"]`;
  return [segment, `*${segment}`, `*.*${segment}`, `*.*.*${segment}`];
});

export function loggerOptions(
  config: Config,
  stream?: NodeJS.WritableStream,
): FastifyServerOptions['logger'] {
  return {
    level: config.LOG_LEVEL,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(stream ? { stream } : {}),
  };
}

/** One access line per request, written once the response is sent (Fastify's own pair is disabled). */
export default fp(
  async (fastify) => {
    fastify.addHook('onResponse', async (request, reply) => {
      request.log.info(
        {
          method: request.method,
          url: request.url,
          statusCode: reply.statusCode,
          responseTime: reply.elapsedTime,
        },
        'request completed',
      );
    });
  },
  { name: 'logging' },
);
