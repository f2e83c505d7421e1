import { at, missing, type StaticCheck } from '../findings.js';
import { closingBracket } from '../source.js';
import { appSources, firstImport, forFramework, localNameOf, matchAll } from './helpers.js';

const SHUTDOWN_PACKAGES = [
  'close-with-grace',
  '@godaddy/terminus',
  'http-terminator',
  'stoppable',
  'lightship',
  'fastify-graceful-shutdown',
];

const LOAD_SHEDDING_PACKAGES = [
  '@fastify/under-pressure',
  'under-pressure',
  'overload-protection',
  'toobusy-js',
  'express-toobusy',
];

export const scalabilityChecks: StaticCheck[] = [
  {
    id: 'graceful-shutdown',
    mistake: 1,
    claimsAbsence: true,
    notApplicable: { workers: 'a Worker has no process to stop: the platform drains its requests' },
    run(project) {
      if (firstImport(project, SHUTDOWN_PACKAGES)) return undefined;
      const files = appSources(project);
      if (matchAll(files, /['"`]SIGTERM['"`]/, 'code').length > 0) return undefined;
      if (project.framework === 'nestjs' && matchAll(files, /\.enableShutdownHooks\s*\(/).length > 0) return undefined;
      const sigint = matchAll(files, /['"`]SIGINT['"`]/, 'code')[0];
      return {
        severity: 'medium',
        title: 'No graceful shutdown on SIGTERM',
        evidence: [
          sigint
            ? at(sigint.file, sigint.index, 'handles SIGINT only; Docker and Kubernetes stop a process with SIGTERM')
            : missing('no SIGTERM handler, close-with-grace, terminus or http-terminator'),
        ],
        fix: forFramework(project, {
          nestjs: 'Call app.enableShutdownHooks() in main.ts and close connections in onApplicationShutdown().',
          other:
            'On SIGTERM stop accepting connections, let in-flight requests finish (bounded, e.g. 10 s), close the database and cache, then exit 0: close-with-grace around server.close() does this.',
        }),
      };
    },
  },
  {
    id: 'load-shedding',
    mistake: 1,
    claimsAbsence: true,
    notApplicable: {
      workers: 'the platform spreads requests over isolates; no event loop of yours queues them',
      deno: "the load-shedding packages doctor knows watch Node's event loop; none is made for Deno",
      bun: "the load-shedding packages doctor knows watch Node's event loop through perf_hooks, which Bun does not fully provide",
    },
    run(project) {
      if (firstImport(project, LOAD_SHEDDING_PACKAGES)) return undefined;
      return {
        severity: 'low',
        title: 'No load shedding: an overloaded process queues requests until they time out',
        evidence: [missing(`none of ${LOAD_SHEDDING_PACKAGES.join(', ')}`)],
        fix: forFramework(project, {
          fastify:
            'Register @fastify/under-pressure: it answers 503 with Retry-After while the event loop is saturated.',
          other:
            'Answer 503 with Retry-After while the event loop is saturated (overload-protection, or an event-loop-delay check in a middleware).',
        }),
      };
    },
  },
  {
    id: 'in-memory-sessions',
    mistake: 1,
    run(project) {
      const calls = [];
      for (const file of appSources(project)) {
        const name = localNameOf(file, 'express-session');
        if (name === undefined) continue;
        for (const match of file.bare.matchAll(new RegExp(`\\b${name}\\s*\\(`, 'g'))) {
          const open = match.index + match[0].length - 1;
          const call = file.bare.slice(open, closingBracket(file.bare, open));
          if (!/\bstore\s*:/.test(call))
            calls.push(at(file, match.index, 'express-session without a store keeps sessions in this process'));
        }
      }
      if (calls.length === 0) return undefined;
      return {
        severity: 'medium',
        title: 'Sessions live in process memory: a second instance or a restart logs everyone out',
        evidence: calls,
        fix: 'Give express-session a shared store (connect-redis) or use stateless tokens; the default MemoryStore also leaks memory.',
      };
    },
  },
];
