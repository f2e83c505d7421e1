import { getHeapStatistics } from 'node:v8';
import underPressure, { type FastifyUnderPressureOptions } from '@fastify/under-pressure';
import fp from 'fastify-plugin';

export type LoadSheddingOptions = Pick<
  FastifyUnderPressureOptions,
  'maxEventLoopDelay' | 'maxEventLoopUtilization' | 'maxHeapUsedBytes' | 'sampleInterval'
>;

/**
 * Answers 503 + Retry-After while the process is saturated, so a load balancer sends
 * traffic elsewhere instead of queueing it here: when the event loop lags or is busy nearly
 * all the time, or when the heap nears its limit (past about 80% of it the garbage collector
 * runs nearly without pause, and at the limit the process dies). Readiness stays in
 * /health/ready: a failing under-pressure healthCheck would turn every route into a 503.
 */
export default fp<LoadSheddingOptions>(
  async (fastify, opts) => {
    await fastify.register(underPressure, {
      maxEventLoopDelay: 1000,
      maxEventLoopUtilization: 0.98,
      // Busy over the last sample, not on average since start: a process that has run for a
      // day is never saturated on average, and a fresh one always is while it loads.
      eventLoopUtilizationMode: 'interval',
      maxHeapUsedBytes: Math.floor(getHeapStatistics().heap_size_limit * 0.8),
      retryAfter: 10,
      ...opts,
    });
  },
  { name: 'load-shedding' },
);
