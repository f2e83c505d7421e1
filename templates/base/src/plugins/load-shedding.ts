import underPressure, { type FastifyUnderPressureOptions } from '@fastify/under-pressure';
import fp from 'fastify-plugin';

export type LoadSheddingOptions = Pick<
  FastifyUnderPressureOptions,
  'maxEventLoopDelay' | 'maxEventLoopUtilization' | 'maxHeapUsedBytes' | 'sampleInterval'
>;

/**
 * Answers 503 + Retry-After while the process is saturated, so a load balancer sends
 * traffic elsewhere instead of queueing it here. Readiness stays in /health/ready: a
 * failing under-pressure healthCheck would turn every route into a 503.
 */
export default fp<LoadSheddingOptions>(
  async (fastify, opts) => {
    await fastify.register(underPressure, {
      maxEventLoopDelay: 1000,
      maxEventLoopUtilization: 0.98,
      retryAfter: 10,
      ...opts,
    });
  },
  { name: 'load-shedding' },
);
