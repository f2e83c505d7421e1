import { at, type Evidence, missing, type StaticCheck } from '../findings.js';
import type { Project, SourceFile } from '../project.js';
import { closingBracket, lineCounter } from '../source.js';
import { appSources, firstImport, forFramework, matchAll, someLiteral } from './helpers.js';

interface Handler {
  file: SourceFile;
  /** The handler's code: from its opening bracket to the one that closes it. */
  start: number;
  end: number;
}

const ERROR_NAME = '_?(?:err|error|e|ex|exception)';
const PARAM = '[\\w$]+(?:\\s*:\\s*[^,()]+)?';
const FOUR_PARAMS = `\\(\\s*${ERROR_NAME}(?:\\s*:\\s*[^,()]+)?\\s*,\\s*${PARAM}\\s*,\\s*${PARAM}\\s*,\\s*${PARAM}\\s*\\)`;
// Express error middleware: the only handlers with four parameters, the error first.
const EXPRESS_HANDLER = new RegExp(
  `(?:function\\s*[\\w$]*\\s*${FOUR_PARAMS}\\s*(?::[^{]+)?\\{|${FOUR_PARAMS}\\s*(?::[^=]+)?=>\\s*\\{)`,
  'g',
);

function bodyFrom(file: SourceFile, open: number): Handler {
  return { file, start: open, end: closingBracket(file.bare, open) };
}

/** The code that turns errors into responses, as each framework spells it. */
export function errorHandlers(project: Project): Handler[] {
  const handlers: Handler[] = [];
  for (const file of appSources(project)) {
    for (const match of file.bare.matchAll(/\.(?:setErrorHandler|onError)\s*\(/g)) {
      handlers.push(bodyFrom(file, match.index + match[0].length - 1));
    }
    for (const match of file.bare.matchAll(EXPRESS_HANDLER)) {
      handlers.push(bodyFrom(file, match.index + match[0].length - 1));
    }
    for (const match of file.bare.matchAll(/@Catch\s*\([^)]*\)[\s\S]*?\bclass\b[^{]*\{/g)) {
      handlers.push(bodyFrom(file, match.index + match[0].length - 1));
    }
    // Koa: a middleware that catches what `await next()` throws.
    if (/\bawait\s+next\s*\(\s*\)/.test(file.bare)) {
      for (const match of file.bare.matchAll(/\bcatch\s*\(\s*[\w$]+\s*\)\s*\{/g)) {
        const handler = bodyFrom(file, match.index + match[0].length - 1);
        if (/\bctx\.body\b/.test(file.bare.slice(handler.start, handler.end))) handlers.push(handler);
      }
    }
  }
  return handlers;
}

const LOGGING = /\b(?:log|logger|console|debug|captureException|Sentry|report)\b/;
// A handler that treats 5xx apart (or honours http-errors' `expose`) decides what clients see.
const MASKS = /(?:[<>]=?\s*(?:500|499)\b|\.expose\b|\bisOperational\b)/;
const MESSAGE = new RegExp(`\\b${ERROR_NAME}\\.message\\b`);
const RAW_ERROR = new RegExp(
  `\\.(?:send|json)\\(\\s*${ERROR_NAME}\\s*\\)|\\bctx\\.body\\s*=\\s*${ERROR_NAME}\\s*(?:;|$)`,
  'm',
);

/** What each handler lets a client see that it should not. */
function leaks(project: Project, handler: Handler): Evidence[] {
  const { file } = handler;
  const found: Evidence[] = [];
  const code = file.code.slice(handler.start, handler.end);
  const masked = MASKS.test(code);
  let offset = handler.start;
  for (const line of code.split('\n')) {
    if (!LOGGING.test(line)) {
      const position = offset + line.length - line.trimStart().length;
      if (/\.stack\b/.test(line)) found.push(at(file, position, 'sends the stack trace'));
      else if (!masked && MESSAGE.test(line))
        found.push(at(file, position, "sends the error's message for every status, 5xx included"));
      else if (RAW_ERROR.test(line)) found.push(at(file, position, 'sends the error object itself'));
    }
    offset += line.length + 1;
  }
  // express-generator style: the handler renders a view, and the view prints the stack.
  if (/\bres\.render\s*\(/.test(code)) {
    for (const view of project.texts.filter((text) => /(?:^|\/)views\/error\.\w+$/.test(text.path))) {
      const index = view.text.search(/\.stack\b/);
      if (index >= 0)
        found.push({ file: view.path, line: lineCounter(view.text)(index), detail: 'prints the stack trace' });
    }
  }
  return found;
}

export const errorChecks: StaticCheck[] = [
  {
    id: 'error-handler',
    mistake: 3,
    claimsAbsence: true,
    run(project) {
      if (project.framework !== 'fastify' && project.framework !== 'express') return undefined;
      if (errorHandlers(project).length > 0) return undefined;
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
      const evidence = errorHandlers(project).flatMap((handler) => leaks(project, handler));
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
      if (matchAll(files, /x-request-id|x-correlation-id|\brequestIdHeader\b|\bgenReqId\b/i, 'code').length > 0) {
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
