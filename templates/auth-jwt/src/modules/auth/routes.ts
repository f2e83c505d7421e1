import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HttpProblem } from '../../errors.js';
import {
  hashPassword,
  needsRehash,
  type PasswordHashing,
  verifyNobody,
  verifyPassword,
} from './passwords.js';
import { createAuthRepository } from './repository.js';
import { Login, Refresh, Register, TokenPair, User } from './schemas.js';

const tags = ['auth'];

// One answer for an unknown email and a wrong password: the API does not say which emails
// have accounts.
const badCredentials = () => new HttpProblem(401, 'The email or password is incorrect');
const badRefreshToken = () => new HttpProblem(401, 'The refresh token is invalid or expired');

export interface AuthRoutesOptions {
  refreshTtlSeconds: number;
  /** The cost new password hashes get; a login rehashes a password stored at a lower one. */
  passwordHashing: PasswordHashing;
  /** Register and login attempts per client, tighter than the global limit (brute force). */
  rateLimit: { max: number; timeWindow: number };
}

/** Mounted at /v1/auth. */
const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (fastify, opts) => {
  const repository = createAuthRepository(fastify.database.db);
  const { accessTokens } = fastify;

  // These answers hold credentials: no browser or proxy may keep them.
  fastify.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  const tokenPair = async (userId: string, refreshToken: string) => ({
    accessToken: await accessTokens.sign(userId),
    refreshToken,
    expiresIn: accessTokens.ttlSeconds,
  });

  fastify.post(
    '/register',
    {
      config: { rateLimit: opts.rateLimit },
      schema: {
        operationId: 'register',
        tags,
        // How a client gets a credential: these routes ask for none.
        security: [],
        summary: 'Create an account (password: at least 12 characters)',
        problems: [409],
        body: Register,
        response: { 201: User },
      },
    },
    async (request, reply) => {
      const passwordHash = await hashPassword(request.body.password, opts.passwordHashing);
      const user = await repository.createUser(request.body.email.toLowerCase(), passwordHash);
      return reply.code(201).send(user);
    },
  );

  fastify.post(
    '/login',
    {
      config: { rateLimit: opts.rateLimit },
      schema: {
        operationId: 'logIn',
        tags,
        security: [],
        summary: 'Exchange email and password for an access and a refresh token',
        problems: [401],
        body: Login,
        response: { 200: TokenPair },
      },
    },
    async (request) => {
      const user = await repository.findUserByEmail(request.body.email.toLowerCase());
      const valid = user
        ? await verifyPassword(request.body.password, user.passwordHash)
        : await verifyNobody(request.body.password, opts.passwordHashing);
      if (!user || !valid) throw badCredentials();
      if (needsRehash(user.passwordHash, opts.passwordHashing)) {
        const passwordHash = await hashPassword(request.body.password, opts.passwordHashing);
        await repository.setPasswordHash(user.id, passwordHash);
      }
      // A login starts a new family of refresh tokens.
      const refreshToken = await repository.issueRefreshToken(
        user.id,
        randomUUID(),
        opts.refreshTtlSeconds,
      );
      return tokenPair(user.id, refreshToken);
    },
  );

  fastify.post(
    '/refresh',
    {
      schema: {
        operationId: 'refreshTokens',
        tags,
        security: [],
        summary: 'Exchange a refresh token for a new pair; the old refresh token stops working',
        problems: [401],
        body: Refresh,
        response: { 200: TokenPair },
      },
    },
    async (request) => {
      const rotated = await repository.rotateRefreshToken(
        request.body.refreshToken,
        opts.refreshTtlSeconds,
      );
      if (!rotated) throw badRefreshToken();
      return tokenPair(rotated.userId, rotated.refreshToken);
    },
  );

  fastify.post(
    '/logout',
    {
      schema: {
        operationId: 'logOut',
        tags,
        security: [],
        summary: 'Revoke a refresh token and every token rotated from the same login',
        problems: [401],
        body: Refresh,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      if (!(await repository.revokeFamilyOf(request.body.refreshToken))) throw badRefreshToken();
      return reply.code(204).send(null);
    },
  );
};

export default authRoutes;
