import fp from 'fastify-plugin';

/** Throws (or rejects) when the dependency cannot serve requests. */
export type ReadinessCheck = () => void | Promise<void>;

/** A failed check whose message /health/ready shows: what to do about it, no internals. */
export class NotReady extends Error {
  override name = 'NotReady';
}

export interface Readiness {
  /** Each dependency plugin adds its own named check; /health/ready runs them all. */
  add(name: string, check: ReadinessCheck): void;
  run(): Promise<{
    checks: Record<string, 'ok' | 'fail'>;
    failing: string[];
    /** The message of each failing check that threw NotReady. */
    reasons: Record<string, string>;
  }>;
}

declare module 'fastify' {
  interface FastifyInstance {
    readiness: Readiness;
  }
}

export default fp(
  async (fastify) => {
    const checks = new Map<string, ReadinessCheck>();
    fastify.decorate('readiness', {
      add(name, check) {
        checks.set(name, check);
      },
      async run() {
        const results: Record<string, 'ok' | 'fail'> = {};
        const reasons: Record<string, string> = {};
        await Promise.all(
          [...checks].map(async ([name, check]) => {
            try {
              await check();
              results[name] = 'ok';
            } catch (error) {
              fastify.log.warn({ err: error, check: name }, 'readiness check failed');
              results[name] = 'fail';
              if (error instanceof NotReady) reasons[name] = error.message;
            }
          }),
        );
        const failing = Object.keys(results).filter((name) => results[name] === 'fail');
        return { checks: results, failing, reasons };
      },
    } satisfies Readiness);
  },
  { name: 'readiness' },
);
