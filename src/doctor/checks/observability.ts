import { at, missing, type StaticCheck } from '../findings.js';
import type { Project } from '../project.js';
import { appSources, evidenceOf, firstImport, forFramework, localNameOf, matchAll, someLiteral } from './helpers.js';

const LOGGERS = ['pino', 'pino-http', 'winston', 'bunyan', 'nestjs-pino', 'express-winston', 'express-pino-logger'];
const METRICS = [
  'prom-client',
  'fastify-metrics',
  'express-prom-bundle',
  'prometheus-api-metrics',
  '@willsoto/nestjs-prometheus',
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/sdk-node',
  '@opentelemetry/auto-instrumentations-node',
  'hot-shots',
];
const HEALTH_PACKAGES = ['@nestjs/terminus', '@godaddy/terminus', 'lightship'];
const HEALTH_PATH =
  /^\/?(?:api\/)?(?:v\d+\/)?(?:health|healthz|livez|readyz|ready|live|liveness|readiness|ping|status)(?:\/[\w-]*)?$/;
const READY_PATH = /(?:^|\/)(?:ready|readyz|readiness)$/;
// A file that answers requests: it declares routes, middleware, hooks or controllers.
const REQUEST_PATH =
  /\.(?:get|post|put|patch|delete|use|all|route|addHook|register|setErrorHandler|onError)\s*\(|@(?:Get|Post|Put|Patch|Delete|Controller|Injectable|Catch)\s*\(/;

/** Is Fastify created with a logger (pino) in some file? */
function fastifyLogger(project: Project): boolean {
  return appSources(project).some((file) => {
    if (localNameOf(file, 'fastify') === undefined) return false;
    return /\blogger\s*:\s*(?!false\b)/.test(file.bare);
  });
}

export const observabilityChecks: StaticCheck[] = [
  {
    id: 'structured-logs',
    mistake: 6,
    claimsAbsence: true,
    run(project) {
      if (firstImport(project, LOGGERS) || fastifyLogger(project)) return undefined;
      const morgan = firstImport(project, ['morgan']);
      return {
        severity: 'medium',
        title: 'No structured logger: logs are text a machine cannot query',
        evidence: [
          morgan
            ? at(morgan.file, morgan.literal.start, 'morgan writes text access lines, not JSON')
            : missing(`none of ${LOGGERS.join(', ')}`),
        ],
        fix: forFramework(project, {
          fastify: 'Create Fastify with a logger (pino): JSON lines carrying reqId, with secrets redacted.',
          nestjs: 'Use nestjs-pino as the application logger.',
          other: 'Log JSON lines with pino (pino-http for access lines), each carrying the request id; redact secrets.',
        }),
      };
    },
  },
  {
    id: 'console-log',
    mistake: 6,
    run(project) {
      const files = appSources(project).filter((file) => !file.path.startsWith('bin/') && REQUEST_PATH.test(file.bare));
      const found = matchAll(files, /\bconsole\.(?:log|info|warn|error|debug|trace)\s*\(/);
      if (found.length === 0) return undefined;
      return {
        severity: 'low',
        title: 'console.* in request paths',
        evidence: evidenceOf(found, (match) => `${match.text.replace(/\s*\($/, '')}() in code that serves requests`),
        fix: 'Log through the request logger (request.log, req.log) so each line is JSON with level and request id, and is not lost unbuffered.',
      };
    },
  },
  {
    id: 'health',
    mistake: 6,
    claimsAbsence: true,
    notApplicable: { workers: 'no orchestrator polls a Worker: the platform routes around failing isolates' },
    run(project) {
      if (firstImport(project, HEALTH_PACKAGES) || someLiteral(project, (value) => HEALTH_PATH.test(value))) {
        return undefined;
      }
      return {
        severity: 'medium',
        title: 'No health route: an orchestrator cannot tell a hung process from a working one',
        evidence: [missing('no /health, /healthz, /livez or /ready route')],
        fix: 'Add GET /health/live (200 while the process runs) and GET /health/ready (503 naming the dependency that is down).',
      };
    },
  },
  {
    id: 'readiness',
    mistake: 6,
    claimsAbsence: true,
    notApplicable: { workers: 'a Worker takes traffic as soon as it is deployed' },
    run(project) {
      const health = someLiteral(project, (value) => HEALTH_PATH.test(value));
      if (!health || firstImport(project, HEALTH_PACKAGES)) return undefined;
      if (someLiteral(project, (value) => HEALTH_PATH.test(value) && READY_PATH.test(value))) return undefined;
      return {
        severity: 'low',
        title: 'A health route but no readiness route',
        evidence: [missing('no /health/ready, /readyz or /ready route')],
        fix: 'Add GET /health/ready that checks the database and cache and answers 503 naming the one that is down, so traffic stops while it is.',
      };
    },
  },
  {
    id: 'metrics',
    mistake: 6,
    claimsAbsence: true,
    notApplicable: { workers: 'Workers Analytics counts requests, errors and CPU time; there is no process to scrape' },
    run(project) {
      if (firstImport(project, METRICS)) return undefined;
      return {
        severity: 'medium',
        title: 'No metrics: latency, error rate and saturation are invisible',
        evidence: [missing(`none of ${METRICS.slice(0, 4).join(', ')} or OpenTelemetry`)],
        fix: project.generated
          ? 'Run: create-sound-backend add prometheus (GET /metrics with a request-duration histogram by route).'
          : forFramework(project, {
              fastify:
                'Expose GET /metrics with prom-client: an http_request_duration_seconds histogram by method, route pattern and status.',
              nestjs: 'Use @willsoto/nestjs-prometheus, or OpenTelemetry metrics.',
              other:
                'Expose GET /metrics with prom-client (express-prom-bundle for Express): request duration by method, route pattern and status.',
            }),
      };
    },
  },
];
