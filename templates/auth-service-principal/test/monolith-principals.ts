import { createHmac } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';

/** The monolith's secret for this service in the tests, so they can sign as it does (and not). */
export const TEST_MONOLITH_SECRET = 'test-secret-of-the-monolith-at-least-32-characters';

/** `x-sound-principal`: the principal as the monolith sends it, JSON in base64url. */
export const principalHeader = (principal: object) => ({
  'x-sound-principal': Buffer.from(JSON.stringify(principal)).toString('base64url'),
});

/**
 * `x-sound-signature` as the monolith signs a request for the principal it names (its own code,
 * not this service's, so that a verifier that checks less is caught); with `changes`, one the
 * service must refuse.
 */
export function signatureHeader(
  method: string,
  url: string,
  principal: string,
  changes: { secret?: string; timestamp?: number } = {},
) {
  const timestamp = changes.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', changes.secret ?? TEST_MONOLITH_SECRET)
    .update(`${method}\n${url}\n${timestamp}\n${principal}`)
    .digest('base64url');
  return { 'x-sound-signature': `t=${timestamp},v1=${signature}` };
}

const signing = new WeakSet<FastifyInstance>();

/**
 * The monolith signs each request for its method and path, so a test's principal cannot be a fixed
 * header: from now on, `app.inject` signs every request that names a principal and carries no
 * signature, as the monolith would.
 */
export function signRequests(app: FastifyInstance): void {
  if (signing.has(app)) return;
  signing.add(app);
  const inject = app.inject.bind(app);
  const signed = (options: InjectOptions): InjectOptions => {
    const headers = options.headers ?? {};
    const principal = headers['x-sound-principal'];
    if (typeof principal !== 'string' || 'x-sound-signature' in headers) return options;
    const method = (options.method ?? 'GET').toUpperCase();
    const url = String(options.url ?? options.path ?? '/');
    return { ...options, headers: { ...headers, ...signatureHeader(method, url, principal) } };
  };
  Object.assign(app, {
    inject: (options: string | InjectOptions) =>
      inject(typeof options === 'string' ? options : signed(options)),
  });
}
