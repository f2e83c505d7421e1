import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HttpProblem } from '../../errors.js';

const Status = Type.Object({ status: Type.Literal('ok') });

// Polled every few seconds by every orchestrator and load balancer (src/plugins/logging.ts).
const config = { probe: true };

const healthRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/health/live',
    {
      // Answers while the process sheds load (src/plugins/load-shedding.ts): a 503 here would
      // have the orchestrator restart a busy instance.
      config: { ...config, shed: false },
      schema: {
        operationId: 'checkLiveness',
        tags: ['health'],
        // Probes ask no credential: orchestrators and load balancers call them.
        security: [],
        summary: 'Liveness: the process is running',
        response: { 200: Status },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  fastify.get(
    '/health/ready',
    {
      config,
      schema: {
        operationId: 'checkReadiness',
        tags: ['health'],
        security: [],
        summary: 'Readiness: every dependency requests need answers',
        response: {
          200: Type.Object({
            // `degraded`: a dependency requests can do without (the cache) is down.
            status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
            checks: Type.Record(
              Type.String(),
              Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
            ),
          }),
        },
      },
    },
    async (_request, reply) => {
      const { checks, failing, reasons } = await fastify.readiness.run();
      if (failing.length > 0) {
        reply.header('retry-after', 5);
        const named = failing.map((name) => (reasons[name] ? `${name} (${reasons[name]})` : name));
        throw new HttpProblem(503, `Unavailable: ${named.join(', ')}`, { checks });
      }
      const healthy = Object.values(checks).every((result) => result === 'ok');
      return {
        status: healthy ? ('ok' as const) : ('degraded' as const),
        checks: checks as Record<string, 'ok' | 'degraded'>,
      };
    },
  );
};

export default healthRoutes;
