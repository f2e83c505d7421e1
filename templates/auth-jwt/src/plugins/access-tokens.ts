import fp from 'fastify-plugin';
import { type AccessTokens, createAccessTokens } from '../modules/auth/tokens.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Signs this service's access tokens (login, refresh) and verifies them (authenticate). */
    accessTokens: AccessTokens;
  }
}

export interface AccessTokensOptions {
  secret: string;
  accessTtlSeconds: number;
}

export default fp<AccessTokensOptions>(
  async (fastify, opts) => {
    fastify.decorate('accessTokens', createAccessTokens(opts.secret, opts.accessTtlSeconds));
  },
  { name: 'access-tokens' },
);
