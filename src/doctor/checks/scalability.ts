import { at, type Evidence, missing, type StaticCheck } from '../findings.js';
import type { ParsedSource } from '../project.js';
import { appSources, firstImport, firstMatch, forFramework } from './helpers.js';
import { callsOf, lacksOption, registrations } from './registrations.js';

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

/** express-session and @fastify/session with no store: sessions kept in this process. */
export function sessionsWithoutStore(file: ParsedSource): Evidence[] {
  return [
    ...callsOf(file, 'express-session')
      .filter(({ options }) => lacksOption(options, 'store'))
      .map(({ call }) => at(file, call.start ?? 0, 'express-session without a store keeps sessions in this process')),
    ...registrations(file, '@fastify/session')
      .filter(({ options }) => lacksOption(options, 'store'))
      .map(({ call }) => at(file, call.start ?? 0, '@fastify/session without a store keeps sessions in this process')),
  ];
}

export const scalabilityChecks: StaticCheck[] = [
  {
    id: 'graceful-shutdown',
    mistake: 1,
    claimsAbsence: true,
    notApplicable: { workers: 'a Worker has no process to stop: the platform drains its requests' },
    run(project) {
      if (firstImport(project, SHUTDOWN_PACKAGES)) return undefined;
      const files = appSources(project);
      if (firstMatch(files, /['"`]SIGTERM['"`]/, 'code')) return undefined;
      if (project.framework === 'nestjs' && firstMatch(files, /\.enableShutdownHooks\s*\(/)) return undefined;
      const sigint = firstMatch(files, /['"`]SIGINT['"`]/, 'code');
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
      const calls = appSources(project).flatMap((file) => file.facts.sessions);
      if (calls.length === 0) return undefined;
      return {
        severity: 'medium',
        title: 'Sessions live in process memory: a second instance or a restart logs everyone out',
        evidence: calls,
        fix: 'Give the session plugin a shared store (connect-redis, @fastify/session with a Redis store) or use stateless tokens; the default MemoryStore also leaks memory.',
      };
    },
  },
];
