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
      config,
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
        summary: 'Readiness: every dependency answers',
        response: {
          200: Type.Object({
            status: Type.Literal('ok'),
            checks: Type.Record(Type.String(), Type.Literal('ok')),
          }),
        },
      },
    },
    async (_request, reply) => {
      const { checks, failing } = await fastify.readiness.run();
      if (failing.length > 0) {
        reply.header('retry-after', 5);
        throw new HttpProblem(503, `Unavailable: ${failing.join(', ')}`, { checks });
      }
      return { status: 'ok' as const, checks: checks as Record<string, 'ok'> };
    },
  );
};

export default healthRoutes;
