import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { errors } from 'jose';
import { HttpProblem } from '../errors.js';
import {
  type AccessTokens,
  type AuthenticatedUser,
  createAccessTokens,
} from '../modules/auth/tokens.js';

declare module 'fastify' {
  interface FastifyInstance {
    accessTokens: AccessTokens;
    /** onRequest hook for routes that need an access token; sets request.user. */
    authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
  interface FastifyRequest {
    user: AuthenticatedUser;
  }
}

export interface AuthenticateOptions {
  secret: string;
  accessTtlSeconds: number;
}

function unauthorized(reply: FastifyReply, detail: string) {
  reply.header('www-authenticate', 'Bearer');
  return new HttpProblem(401, detail);
}

export default fp<AuthenticateOptions>(
  async (fastify, opts) => {
    const accessTokens = createAccessTokens(opts.secret, opts.accessTtlSeconds);
    fastify.decorate('accessTokens', accessTokens);
    // Declared up front so every request has the same shape; set by authenticate before any
    // handler that reads it runs.
    fastify.decorateRequest('user', null as unknown as AuthenticatedUser);

    fastify.decorate('authenticate', async (request: FastifyRequest, reply: FastifyReply) => {
      // An answer that depends on who asked must not be kept by a browser or shared proxy.
      reply.header('cache-control', 'no-store');
      const [scheme, token, extra] = (request.headers.authorization ?? '').split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !token || extra !== undefined) {
        throw unauthorized(reply, 'An access token is required: Authorization: Bearer <token>');
      }
      try {
        request.user = await accessTokens.verify(token);
      } catch (error) {
        // Expired is worth telling apart: the client should refresh, not log in again.
        const detail =
          error instanceof errors.JWTExpired
            ? 'The access token has expired'
            : 'The access token is invalid';
        throw unauthorized(reply, detail);
      }
    });
  },
  { name: 'authenticate' },
);
