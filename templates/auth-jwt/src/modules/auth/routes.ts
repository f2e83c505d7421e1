import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from 'typebox';
import { HttpProblem } from '../../errors.js';
import { clientAddress } from '../../plugins/rate-limit.js';
import {
  hashPassword,
  needsRehash,
  type PasswordHashing,
  verifyNobody,
  verifyPassword,
} from './passwords.js';
import { createAuthRepository } from './repository.js';
import { Login, Refresh, Register, Registered, TokenPair } from './schemas.js';

const tags = ['auth'];

// One answer for an unknown email and a wrong password: the API does not say which emails
// have accounts.
const badCredentials = () => new HttpProblem(401, 'The email or password is incorrect');
const badRefreshToken = () => new HttpProblem(401, 'The refresh token is invalid or expired');

// One answer for a new and a taken email: the API does not say which emails have accounts.
const registered = {
  message: 'Log in with this email and password: the account is made unless the email has one',
};

/** The account an email names: the form users are stored and looked up by. */
const normalisedEmail = (email: string) => email.toLowerCase();

export interface AuthRoutesOptions {
  refreshTtlSeconds: number;
  /** The cost new password hashes get; a login rehashes a password stored at a lower one. */
  passwordHashing: PasswordHashing;
  rateLimit: {
    /** Register and login attempts per client address, tighter than the global limit. */
    max: number;
    /** Login attempts per email, from any number of addresses. */
    maxPerEmail: number;
    timeWindow: number;
  };
}

/** Mounted at /v1/auth. */
const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (fastify, opts) => {
  const repository = createAuthRepository(fastify.database.db);
  const { accessTokens } = fastify;

  // Every route here counts by client address alone: a credential the request carries (an
  // account of the attacker's own) must not bring a fresh bucket of guesses. Register and
  // login have a tighter limit than the rest of the API.
  const byAddress = { keyGenerator: clientAddress };
  const attemptsByAddress = {
    ...byAddress,
    max: opts.rateLimit.max,
    timeWindow: opts.rateLimit.timeWindow,
  };
  // And the login by the account it targets, wherever the attempts come from (OWASP's
  // account-level limit). Every attempt counts, before the password is checked, so concurrent
  // guesses cannot pass before the failures are counted; the window ends on its own, so an
  // attacker keeps the owner out only while the attack goes on.
  const loginsPerEmail = fastify.createRateLimit({
    max: opts.rateLimit.maxPerEmail,
    timeWindow: opts.rateLimit.timeWindow,
    keyGenerator: (request) =>
      `login-email:${normalisedEmail((request.body as Static<typeof Login>).email)}`,
  });

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
      config: { rateLimit: attemptsByAddress },
      schema: {
        operationId: 'register',
        tags,
        // How a client gets a credential: these routes ask for none.
        security: [],
        summary: 'Create an account (password: at least 12 characters), then log in',
        description:
          'The same 202 whether or not the email already has an account, so this route does not ' +
          'tell which emails are registered: a taken email keeps its own password.',
        body: Register,
        response: { 202: Registered },
      },
    },
    async (request, reply) => {
      // Hashed either way: a taken email answers in the time a new one takes.
      const passwordHash = await hashPassword(request.body.password, opts.passwordHashing);
      await repository.createUser(normalisedEmail(request.body.email), passwordHash);
      return reply.code(202).send(registered);
    },
  );

  fastify.post(
    '/login',
    {
      config: { rateLimit: attemptsByAddress },
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
    async (request, reply) => {
      const limit = await loginsPerEmail(request);
      if (!limit.isAllowed && limit.isExceeded) {
        reply.header('retry-after', limit.ttlInSeconds);
        throw new HttpProblem(
          429,
          `Too many login attempts for this email, retry in ${limit.ttlInSeconds} seconds`,
        );
      }
      const user = await repository.findUserByEmail(normalisedEmail(request.body.email));
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
      config: { rateLimit: byAddress },
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
      config: { rateLimit: byAddress },
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
