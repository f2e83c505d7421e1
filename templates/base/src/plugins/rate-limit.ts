import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';

export interface RateLimitOptions {
  max: number;
  windowMs: number;
}

/**
 * Applies to the routes registered after this plugin: app.ts registers probes, monitoring
 * and docs before it, so that they are never throttled.
 */
export default fp<RateLimitOptions>(
  async (fastify, opts) => {
    await fastify.register(rateLimit, { max: opts.max, timeWindow: opts.windowMs });
  },
  { name: 'rate-limit' },
);
