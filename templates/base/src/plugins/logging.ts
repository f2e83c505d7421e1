import type { FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import pino, { type DestinationStream } from 'pino';
import type { Config } from '../config.js';

const SECRET_KEYS = new Set([
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'password',
  'token',
  'refreshtoken',
  'accesstoken',
  'apikey',
]);
const REDACTED = '[redacted]';
const MAX_DEPTH = 8;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Hides secret values at any depth of a logged object (a header map, a body, a
 * nested object in a body). Returns the object itself when there is nothing to
 * hide, so the access line costs nothing extra. pino's own `redact` matches fixed
 * paths only, and its wildcard paths for the same depths cost about 40 µs a line.
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    const items = value.map((item) => redactSecrets(item, depth + 1));
    return items.some((item, index) => item !== value[index]) ? items : value;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const item = value[key];
    const safe = SECRET_KEYS.has(key.toLowerCase()) ? REDACTED : redactSecrets(item, depth + 1);
    if (safe !== item) {
      copy ??= { ...value };
      copy[key] = safe;
    }
  }
  return copy ?? value;
}

/**
 * stdout in 4 KiB batches, flushed at least every second (and by pino on exit):
 * under load a write per access line costs more than formatting the line.
 */
function stdoutInBatches() {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => destination.flush(), 1000).unref();
  return destination;
}

export function loggerOptions(
  config: Config,
  stream: DestinationStream = stdoutInBatches(),
): FastifyServerOptions['logger'] {
  return {
    level: config.LOG_LEVEL,
    formatters: { log: (object) => redactSecrets(object) as Record<string, unknown> },
    stream,
  };
}

/** One access line per request, written once the response is sent (Fastify's own pair is disabled). */
export default fp(
  async (fastify) => {
    fastify.addHook('onResponse', (request, reply, done) => {
      request.log.info(
        {
          method: request.method,
          url: request.url,
          statusCode: reply.statusCode,
          responseTime: reply.elapsedTime,
        },
        'request completed',
      );
      done();
    });
  },
  { name: 'logging' },
);
