import { randomBytes } from 'node:crypto';
import type { Evidence, Finding, Mistake, Severity } from './findings.js';

/** Bounds: the probes send at most `maxRequests` requests in at most `budgetMs`, all to the given origin. */
export interface LiveOptions {
  url: URL;
  maxRequests?: number;
  requestTimeoutMs?: number;
  budgetMs?: number;
}

export interface LiveResult {
  findings: Finding[];
  requests: number;
  durationMs: number;
}

export class UnreachableError extends Error {}

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

const DOC_PATHS = ['/docs/json', '/openapi.json', '/swagger.json', '/api-json', '/api-docs'];
const LIVENESS_PATHS = ['/health/live', '/livez', '/healthz', '/health'];
const READINESS_PATHS = ['/health/ready', '/readyz', '/ready'];
const NOT_PROBED = /^\/(?:health|healthz|livez|readyz|ready|metrics|docs|api-docs|api-json|openapi|swagger)(?:[/.]|$)/;
const PROBE_ORIGIN = 'https://doctor-probe.invalid';
// A V8 stack frame ("at fn (/app/src/x.js:10:5)") or a path into node_modules.
const STACK = /\bat (?:[\w$.<>[\] ]+ )?\(?(?:file:\/\/)?\/[^\s)]+:\d+:\d+\)?|node_modules\//;
const RATE_LIMIT_BATCH = 10;

const problemType = (answer: Answer) => answer.headers.get('content-type')?.split(';')[0]?.trim() ?? 'no content type';
const isProblem = (answer: Answer) => problemType(answer) === 'application/problem+json';

interface Route {
  method: 'GET' | 'POST';
  path: string;
}

type OpenApi = {
  paths?: Record<string, Record<string, { security?: unknown[] }>>;
  security?: unknown[];
  basePath?: string;
};

/** Routes a client without credentials may call, from an OpenAPI document: GET first, then body routes. */
function publicRoutes(doc: OpenApi): Route[] {
  const open = (security: unknown[] | undefined) =>
    security === undefined || security.length === 0 || security.some((item) => Object.keys(item ?? {}).length === 0);
  const routes: Route[] = [];
  const base = (doc.basePath ?? '').replace(/\/$/, '');
  for (const [path, operations] of Object.entries(doc.paths ?? {})) {
    if (path.includes('{') || NOT_PROBED.test(path)) continue;
    for (const [method, operation] of Object.entries(operations ?? {})) {
      const security = operation?.security ?? doc.security;
      if (!open(security)) continue;
      if (method === 'get') routes.push({ method: 'GET', path: `${base}${path}` });
      if (method === 'post' || method === 'put' || method === 'patch')
        routes.push({ method: 'POST', path: `${base}${path}` });
    }
  }
  return routes.sort((a, b) => (a.method === b.method ? 0 : a.method === 'GET' ? -1 : 1));
}

/** Black-box probes of a running service. Nothing is created: bodies sent are malformed JSON. */
export async function probeService(options: LiveOptions): Promise<LiveResult> {
  const maxRequests = options.maxRequests ?? 200;
  const requestTimeoutMs = options.requestTimeoutMs ?? 3000;
  const budgetMs = options.budgetMs ?? 30_000;
  const started = Date.now();
  const origin = options.url.origin;
  const basePath = options.url.pathname.replace(/\/$/, '');
  const findings: Finding[] = [];
  let requests = 0;

  const report = (id: string, mistake: Mistake, severity: Severity, title: string, evidence: Evidence[], fix: string) =>
    findings.push({ id, mistake, severity, title, evidence, fix, source: 'live' });
  const stacks: Evidence[] = [];
  const outOfBudget = () => requests >= maxRequests || Date.now() - started >= budgetMs;

  async function send(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
    if (outOfBudget()) return undefined;
    requests++;
    try {
      const response = await fetch(new URL(path, origin), {
        method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      const answer: Answer = { status: response.status, headers: response.headers, body: await response.text() };
      if (STACK.test(answer.body))
        stacks.push({ detail: `${method} ${path} → ${answer.status} with a stack trace or source path in the body` });
      return answer;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }
  const answered = (result: Answer | Error | undefined): result is Answer =>
    result !== undefined && !(result instanceof Error);

  // 1. An unknown route: also the sample for headers, request id and CORS.
  const unknownPath = `${basePath}/doctor-probe-${randomBytes(6).toString('hex')}`;
  const unknown = await send('GET', unknownPath, { origin: PROBE_ORIGIN, accept: 'application/json' });
  if (!answered(unknown)) {
    throw new UnreachableError(`Cannot reach ${origin}: ${unknown instanceof Error ? unknown.message : 'no answer'}`);
  }
  if (unknown.status !== 404 || !isProblem(unknown)) {
    report(
      'live-not-found',
      3,
      'medium',
      'An unknown route does not answer a 404 problem',
      [{ detail: `GET ${unknownPath} → ${unknown.status} ${problemType(unknown)}` }],
      'Answer unknown routes with 404 application/problem+json from a not-found handler.',
    );
  }
  if (!['x-request-id', 'x-correlation-id', 'request-id'].some((name) => unknown.headers.has(name))) {
    report(
      'live-request-id',
      3,
      'medium',
      'Responses carry no request id',
      [{ detail: `GET ${unknownPath}: no x-request-id header` }],
      'Echo a valid incoming x-request-id, or make one, on every response and in every log line.',
    );
  }

  // 2. Discover routes from an OpenAPI document, if the service publishes one.
  let routes: Route[] = [];
  for (const path of DOC_PATHS) {
    const doc = await send('GET', path, { accept: 'application/json' });
    if (!answered(doc) || doc.status !== 200) continue;
    try {
      const parsed = JSON.parse(doc.body) as OpenApi;
      if (parsed.paths !== undefined) {
        routes = publicRoutes(parsed);
        break;
      }
    } catch {
      // Not a document: try the next place.
    }
  }
  const bodyRoute = routes.find((route) => route.method === 'POST');
  const limitRoute = routes[0] ?? { method: 'GET', path: basePath === '' ? '/' : basePath };

  // 3. Malformed JSON must be a 400 problem, never a 500.
  const malformedPath = bodyRoute?.path ?? (basePath === '' ? '/' : basePath);
  const malformed = await send('POST', malformedPath, { 'content-type': 'application/json' }, '{"doctor":');
  if (answered(malformed)) {
    if (
      malformed.status === 404 ||
      malformed.status === 405 ||
      (bodyRoute === undefined && malformed.status < 500 && malformed.status !== 400)
    ) {
      report(
        'live-malformed-json',
        3,
        'info',
        'Malformed JSON: not checked',
        [{ detail: `POST ${malformedPath} → ${malformed.status}: no public route that takes a body was found` }],
        'Publish an OpenAPI document (e.g. /docs/json), or pass --url with the path of a route that takes JSON.',
      );
    } else if (malformed.status !== 400 || !isProblem(malformed)) {
      report(
        'live-malformed-json',
        3,
        'medium',
        'Malformed JSON does not answer a 400 problem',
        [
          {
            detail: `POST ${malformedPath} with a truncated JSON body → ${malformed.status} ${problemType(malformed)}`,
          },
        ],
        'Let the body parser reject malformed JSON as 400 application/problem+json through the error handler.',
      );
    }
  }

  // 4. Security headers and CORS, on the unknown-route answer and a preflight.
  const missingHeaders: string[] = [];
  if (unknown.headers.get('x-content-type-options') !== 'nosniff')
    missingHeaders.push('X-Content-Type-Options: nosniff');
  if (
    !unknown.headers.has('x-frame-options') &&
    !/frame-ancestors/.test(unknown.headers.get('content-security-policy') ?? '')
  ) {
    missingHeaders.push('X-Frame-Options or CSP frame-ancestors');
  }
  if (options.url.protocol === 'https:' && !unknown.headers.has('strict-transport-security')) {
    missingHeaders.push('Strict-Transport-Security');
  }
  const poweredBy = unknown.headers.get('x-powered-by');
  if (missingHeaders.length > 0 || poweredBy !== null) {
    report(
      'live-security-headers',
      5,
      'medium',
      'Security headers are missing',
      [
        ...missingHeaders.map((header) => ({ detail: `GET ${unknownPath}: no ${header}` })),
        ...(poweredBy === null ? [] : [{ detail: `GET ${unknownPath}: X-Powered-By: ${poweredBy} names the server` }]),
      ],
      'Send the helmet headers on every response, errors included, and drop X-Powered-By.',
    );
  }
  const preflight = await send('OPTIONS', limitRoute.path, {
    origin: PROBE_ORIGIN,
    'access-control-request-method': 'GET',
  });
  const corsOpen = [unknown, preflight]
    .filter(answered)
    .map((answer) => answer.headers.get('access-control-allow-origin'));
  if (corsOpen.some((value) => value === '*' || value === PROBE_ORIGIN)) {
    report(
      'live-cors',
      5,
      'high',
      'CORS is open to any origin',
      [{ detail: `Origin ${PROBE_ORIGIN} was answered Access-Control-Allow-Origin: ${corsOpen.find(Boolean)}` }],
      'Allow only the origins listed in configuration (empty by default).',
    );
  }

  // 5. Probes and metrics.
  const firstUp = async (paths: string[], accept: (status: number) => boolean) => {
    for (const path of paths) {
      const answer = await send('GET', path);
      if (answered(answer) && accept(answer.status)) return answer;
    }
    return undefined;
  };
  const live = await firstUp(LIVENESS_PATHS, (status) => status === 200);
  if (live === undefined) {
    report(
      'live-health',
      6,
      'medium',
      'No liveness route answers',
      [{ detail: `none of ${LIVENESS_PATHS.join(', ')} answered 200` }],
      'Add GET /health/live answering 200 while the process runs.',
    );
  }
  const ready = await firstUp(READINESS_PATHS, (status) => status === 200 || status === 503);
  if (ready === undefined) {
    report(
      'live-readiness',
      6,
      'low',
      'No readiness route answers',
      [{ detail: `none of ${READINESS_PATHS.join(', ')} answered 200 or 503` }],
      'Add GET /health/ready: 200 when the database and cache answer, 503 naming the one that does not.',
    );
  }
  const metrics = await send('GET', '/metrics');
  const metricsUp =
    answered(metrics) &&
    ((metrics.status === 200 && /^# (?:HELP|TYPE) /m.test(metrics.body)) ||
      metrics.status === 401 ||
      metrics.status === 403);
  if (!metricsUp) {
    report(
      'live-metrics',
      6,
      'medium',
      'No Prometheus metrics at /metrics',
      [{ detail: `GET /metrics → ${answered(metrics) ? `${metrics.status} ${problemType(metrics)}` : 'no answer'}` }],
      'Expose GET /metrics in Prometheus text format with request duration by route.',
    );
  }

  // 6. Rate limiting: the same request until a 429, within the bounds.
  let limited: Answer | undefined;
  let sent = 0;
  const limitHeaders: Record<string, string> =
    limitRoute.method === 'POST' ? { 'content-type': 'application/json' } : { accept: 'application/json' };
  while (limited === undefined && !outOfBudget()) {
    const batch = Math.min(RATE_LIMIT_BATCH, maxRequests - requests);
    const answers = await Promise.all(
      Array.from({ length: batch }, () =>
        send(limitRoute.method, limitRoute.path, limitHeaders, limitRoute.method === 'POST' ? '{"doctor":' : undefined),
      ),
    );
    sent += answers.filter(answered).length;
    limited = answers.filter(answered).find((answer) => answer.status === 429);
    if (answers.every((answer) => !answered(answer))) break;
  }
  if (limited === undefined) {
    report(
      'live-rate-limit',
      5,
      'high',
      'No rate limiting seen',
      [
        {
          detail: `${sent} requests to ${limitRoute.method} ${limitRoute.path} in ${((Date.now() - started) / 1000).toFixed(1)} s: none answered 429`,
        },
      ],
      "Limit requests per client and answer 429 with Retry-After; a limit above this probe's bound cannot be seen here.",
    );
  } else if (!limited.headers.has('retry-after')) {
    report(
      'live-rate-limit',
      5,
      'medium',
      'Rate limited without Retry-After',
      [{ detail: `${limitRoute.method} ${limitRoute.path} → 429 with no Retry-After header` }],
      'Send Retry-After with every 429 so clients know when to try again.',
    );
  }

  if (stacks.length > 0) {
    report(
      'live-stack',
      3,
      'high',
      'Responses show stack traces or source paths',
      stacks.slice(0, 10),
      'Answer errors with a fixed detail for 5xx and the request id; keep stacks in the logs.',
    );
  }
  return { findings, requests, durationMs: Date.now() - started };
}
