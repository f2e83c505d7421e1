import fp from 'fastify-plugin';

/** Throws (or rejects) when the dependency cannot serve requests. */
export type ReadinessCheck = () => void | Promise<void>;

/** A failed check whose message /health/ready shows: what to do about it, no internals. */
export class NotReady extends Error {
  override name = 'NotReady';
}

export interface ReadinessOptions {
  /**
   * `false` for a dependency every request can do without, such as a shared cache whose reads
   * fall back to the database: its failure reads `degraded` and the instance stays ready. Every
   * replica shares it, so a 503 would take them all out of the load balancer at once.
   */
  required?: boolean;
}

export type CheckResult = 'ok' | 'degraded' | 'fail';

export interface Readiness {
  /** Each dependency plugin adds its own named check; /health/ready runs them all. */
  add(name: string, check: ReadinessCheck, options?: ReadinessOptions): void;
  run(): Promise<{
    checks: Record<string, CheckResult>;
    /** The required checks that failed: the instance is not ready while there are any. */
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
    const checks = new Map<string, { check: ReadinessCheck; required: boolean }>();
    fastify.decorate('readiness', {
      add(name, check, { required = true } = {}) {
        checks.set(name, { check, required });
      },
      async run() {
        const results: Record<string, CheckResult> = {};
        const reasons: Record<string, string> = {};
        await Promise.all(
          [...checks].map(async ([name, { check, required }]) => {
            try {
              await check();
              results[name] = 'ok';
            } catch (error) {
              if (!required) {
                // The dependency logs its own outage once; a line per probe would repeat it.
                results[name] = 'degraded';
                return;
              }
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
