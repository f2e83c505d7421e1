import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

export interface SecurityOptions {
  /** Exact origins allowed to call the API from a browser; empty means none. */
  corsOrigins: string[];
}

export default fp<SecurityOptions>(
  async (fastify, opts) => {
    await fastify.register(helmet);
    // @fastify/cors defaults to `*`: always pass the allowlist, and `false` when it is empty.
    await fastify.register(cors, {
      origin: opts.corsOrigins.length > 0 ? opts.corsOrigins : false,
    });
  },
  { name: 'security' },
);
