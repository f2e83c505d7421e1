import { missing, type StaticCheck } from '../findings.js';
import { errorLeaks } from './error-leaks.js';
import { appSources, firstImport, firstMatch, forFramework, someLiteral } from './helpers.js';

export const errorChecks: StaticCheck[] = [
  {
    id: 'error-handler',
    mistake: 3,
    claimsAbsence: true,
    run(project) {
      if (project.framework !== 'fastify' && project.framework !== 'express') return undefined;
      if (appSources(project).some((file) => file.facts.errorHandlers > 0)) return undefined;
      return {
        severity: 'high',
        title: 'No error handler of its own: the framework default decides what clients see',
        evidence: [
          missing(
            project.framework === 'fastify'
              ? "no setErrorHandler; Fastify's default answers a 500 with the error's own message"
              : "no error middleware (err, req, res, next); Express's default sends the stack trace unless NODE_ENV=production",
          ),
        ],
        fix: 'Add one error handler that answers application/problem+json with the right status, logs 5xx with the request id, and never sends stack traces or 5xx messages.',
      };
    },
  },
  {
    id: 'error-leak',
    mistake: 3,
    run(project) {
      const evidence = errorLeaks(project)
        .filter((leak) => leak.severity === 'high')
        .map((leak) => leak.evidence);
      if (evidence.length === 0) return undefined;
      return {
        severity: 'high',
        title: 'The error handler sends internals to clients',
        evidence,
        fix: "Answer 5xx with a fixed detail ('An unexpected error occurred') and the request id; log the error with its stack instead. Send err.message only for errors written for clients (4xx).",
      };
    },
  },
  {
    id: 'error-leak-development',
    mistake: 3,
    run(project) {
      const evidence = errorLeaks(project)
        .filter((leak) => leak.severity === 'low')
        .map((leak) => leak.evidence);
      if (evidence.length === 0) return undefined;
      return {
        severity: 'low',
        title: 'The error handler sends internals in development only',
        evidence,
        fix: 'Fine while NODE_ENV is set in production; a server started without it sends these. Prefer logging the stack over sending it.',
      };
    },
  },
  {
    id: 'problem-json',
    mistake: 3,
    claimsAbsence: true,
    run(project) {
      if (someLiteral(project, (value) => value.includes('application/problem+json'))) return undefined;
      if (firstImport(project, ['http-problem-details', 'problem-json', 'express-http-problem-details']))
        return undefined;
      return {
        severity: 'low',
        title: 'Errors are not RFC 9457 problem details',
        evidence: [missing('no response uses application/problem+json')],
        fix: 'Answer every error as application/problem+json with type, title, status, detail, instance and the request id, so clients handle all errors one way.',
      };
    },
  },
  {
    id: 'request-id',
    mistake: 3,
    claimsAbsence: true,
    run(project) {
      const files = appSources(project);
      if (firstMatch(files, /x-request-id|x-correlation-id|\brequestIdHeader\b|\bgenReqId\b/i, 'code')) {
        return undefined;
      }
      if (firstImport(project, ['express-request-id', 'cls-rtracer', 'koa-requestid', 'hono/request-id']))
        return undefined;
      return {
        severity: 'medium',
        title: 'No request id: a log line cannot be tied to the request or the client report',
        evidence: [missing('no x-request-id header, genReqId or request-id middleware')],
        fix: forFramework(project, {
          fastify:
            'Give Fastify a genReqId that keeps a valid incoming x-request-id (else randomUUID()) and set the x-request-id response header in an onRequest hook; request.log then carries it.',
          other:
            'Take a valid incoming x-request-id or make one (randomUUID()), put it on the request logger, and echo it in the x-request-id response header.',
        }),
      };
    },
  },
];
