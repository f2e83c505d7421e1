import { getHeapStatistics } from 'node:v8';
import underPressure, { type FastifyUnderPressureOptions } from '@fastify/under-pressure';
import fp from 'fastify-plugin';

export type LoadSheddingOptions = Pick<
  FastifyUnderPressureOptions,
  'maxEventLoopDelay' | 'maxHeapUsedBytes' | 'sampleInterval'
>;

/**
 * Answers 503 + Retry-After while the process is saturated, so a load balancer sends
 * traffic elsewhere instead of queueing it here: when the event loop lags (work waits a
 * second before it runs), or when the heap nears its limit (past about 80% of it the garbage
 * collector runs nearly without pause, and at the limit the process dies). Not on event-loop
 * utilisation: a process at full speed is busy all the time without keeping anyone waiting,
 * and shedding it then turns good answers into 503s. Readiness stays in /health/ready: a failing
 * under-pressure healthCheck would turn every route into a 503.
 */
export default fp<LoadSheddingOptions>(
  async (fastify, opts) => {
    await fastify.register(underPressure, {
      maxEventLoopDelay: 1000,
      maxHeapUsedBytes: Math.floor(getHeapStatistics().heap_size_limit * 0.8),
      retryAfter: 10,
      ...opts,
    });
  },
  { name: 'load-shedding' },
);
