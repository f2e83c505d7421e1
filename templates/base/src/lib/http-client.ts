import { setTimeout as sleep } from 'node:timers/promises';
import { ConsecutiveBreaker, circuitBreaker, handleAll, isBrokenCircuitError } from 'cockatiel';
import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { HttpProblem } from '../errors.js';

export interface HttpClientOptions {
  /**
   * The one origin this client calls, from configuration. Paths are resolved against it and
   * may not leave it, so a value from a request can never choose where the service connects.
   */
  baseUrl: string;
  /** Per attempt, body included. */
  timeoutMs?: number;
  /** Attempts after the first one. */
  retries?: number;
  /** The first backoff; each retry doubles it, and a random part of it is waited (full jitter). */
  backoffMs?: number;
  /** The longest wait before a retry; a longer Retry-After is not waited for. */
  maxDelayMs?: number;
  /** Consecutive failed calls (errors, timeouts, 5xx) that open the circuit. */
  failuresToOpen?: number;
  /** How long an open circuit fails calls at once, before one call probes the upstream. */
  probeAfterMs?: number;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** What a route answers when an upstream fails: 502, 503 (circuit open) or 504 (timeout). */
export class UpstreamError extends HttpProblem {
  constructor(statusCode: 502 | 503 | 504, detail: string) {
    super(statusCode, detail);
    this.name = 'UpstreamError';
  }
}

// Repeating these has the same effect as sending them once (RFC 9110, 9.2.2).
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
// The upstream declined the request without acting on it: safe to send again, whatever the method.
const DECLINED = new Set([429, 503]);

/** Retry-After in milliseconds (delay-seconds or an HTTP date), if present and valid. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header)) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * An outbound HTTP client on the built-in fetch: a timeout per attempt; retries with
 * exponential backoff and full jitter for idempotent methods after a network error or
 * timeout, and for any method after 429 or 503 (honouring Retry-After); and a circuit breaker,
 * so a failing upstream is not hammered and its callers fail fast.
 *
 * ```ts
 * const rates = createHttpClient({ baseUrl: config.RATES_URL });
 * const quote = await rates.getJson('/v1/quote?from=EUR&to=USD', Quote);
 * ```
 */
export function createHttpClient(options: HttpClientOptions) {
  const base = new URL(options.baseUrl);
  const timeoutMs = options.timeoutMs ?? 2000;
  const retries = options.retries ?? 2;
  const backoffMs = options.backoffMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 5000;
  const breaker = circuitBreaker(
    handleAll.orWhenResult((r) => (r as Response).status >= 500),
    {
      halfOpenAfter: options.probeAfterMs ?? 10_000,
      breaker: new ConsecutiveBreaker(options.failuresToOpen ?? 5),
    },
  );

  const backoff = (attempt: number) =>
    Math.random() * Math.min(maxDelayMs, backoffMs * 2 ** attempt);

  async function request(path: string, init: RequestOptions = {}): Promise<Response> {
    const url = new URL(path, base);
    if (url.origin !== base.origin) throw new Error(`${path} is not on ${base.origin}`);
    const method = (init.method ?? 'GET').toUpperCase();

    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await breaker.execute(() =>
          fetch(url, {
            method,
            headers: init.headers,
            body: init.body,
            // A redirect could lead anywhere: the configured origin is the only one called.
            redirect: 'error',
            signal: AbortSignal.timeout(timeoutMs),
          }),
        );
      } catch (error) {
        if (isBrokenCircuitError(error)) {
          throw new UpstreamError(503, 'An upstream service is unavailable. Retry later.');
        }
        const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
        if (!IDEMPOTENT.has(method) || attempt >= retries) {
          throw timedOut
            ? new UpstreamError(504, 'An upstream service did not answer in time.')
            : new UpstreamError(502, 'An upstream service could not be reached.');
        }
        await sleep(backoff(attempt));
        continue;
      }

      if (!DECLINED.has(response.status) || attempt >= retries) return response;
      const delay = retryAfterMs(response.headers.get('retry-after')) ?? backoff(attempt);
      if (delay > maxDelayMs) return response;
      await response.body?.cancel();
      await sleep(delay);
    }
  }

  /**
   * GETs JSON and checks it against `schema` before anyone uses it: an upstream that fails,
   * or answers something else, is a 502 for our client, never a crash.
   */
  async function getJson<T extends TSchema>(path: string, schema: T): Promise<Static<T>> {
    const response = await request(path, { headers: { accept: 'application/json' } });
    if (!response.ok) {
      await response.body?.cancel();
      throw new UpstreamError(502, `An upstream service answered ${response.status}.`);
    }
    const data: unknown = await response.json().catch(() => undefined);
    if (!Value.Check(schema, data)) {
      throw new UpstreamError(502, 'An upstream service answered something unexpected.');
    }
    return data;
  }

  return { request, getJson };
}

export type HttpClient = ReturnType<typeof createHttpClient>;
