import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { AppError } from '../../errors.js';
import {
  createLoginThrottle,
  LOGIN_ATTEMPTS_PER_ACCOUNT,
} from './login-throttle.js';
import { createPasswordHasher } from './passwords.js';
import {
  changePasswordBody,
  loginBody,
  logoutBody,
  refreshBody,
  registerBody,
  registerResponse,
  tokenPairResponse,
  updateMeBody,
  userResponse,
  type TokenPairResponse,
  type UserResponse,
} from './schemas.js';
import {
  type AccountUser,
  changePassword,
  createRefreshToken,
  findActiveUser,
  registerUser,
  revokeRefreshToken,
  rotateRefreshToken,
  updateUserName,
  verifyCredentials,
} from './service.js';

// Sent for both a new and an existing email, so the response does not reveal
// which addresses have accounts. The owner of an existing account simply
// signs in with the password they already have.
const REGISTER_MESSAGE =
  'If the address can be registered, the account is ready: sign in to continue.';

const bearer = [{ bearerAuth: [] }];

function toUserResponse(user: AccountUser): UserResponse {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    createdAt: user.createdAt.toISOString(),
  };
}

function noStore(reply: FastifyReply): void {
  reply.header('Cache-Control', 'no-store');
}

/**
 * Creates the 429 of a locked account. Its RateLimit-* headers describe the
 * account lock and replace those of the per-address budget, which may
 * still have requests left.
 */
function accountLocked(message: string, retryAfterSeconds: number): AppError {
  const retryAfter = String(retryAfterSeconds);

  return new AppError(
    'RATE_LIMITED',
    `${message}: retry in ${retryAfter} seconds.`,
    {
      headers: {
        'Retry-After': retryAfter,
        'RateLimit-Limit': String(LOGIN_ATTEMPTS_PER_ACCOUNT),
        'RateLimit-Remaining': '0',
        'RateLimit-Reset': retryAfter,
      },
    },
  );
}

/** Registration, sign-in, token refresh, sign-out and the own profile. */
export default async function authRoutes(app: FastifyInstance): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { refreshTokenTtlDays } = app.config;
  const passwords = createPasswordHasher(app.config.bcryptCost);
  const loginThrottle = createLoginThrottle(app.redis);

  async function tokenPair(
    user: AccountUser,
    refreshToken: string,
  ): Promise<TokenPairResponse> {
    return {
      accessToken: await app.accessTokens.sign({
        id: user.id,
        role: user.role,
      }),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: app.accessTokens.ttlSeconds,
      user: toUserResponse(user),
    };
  }

  routes.post(
    '/auth/register',
    {
      schema: {
        summary: 'Create a customer account',
        tags: ['auth'],
        body: registerBody,
        response: { 202: registerResponse },
      },
    },
    async (request, reply) => {
      const outcome = await registerUser(app.prisma, passwords, request.body);
      if (outcome === 'created') {
        request.securityEvent('register_success', {
          email: request.body.email,
        });
      } else {
        request.securityEvent('register_rejected', {
          email: request.body.email,
          reason: 'email_taken',
        });
      }

      noStore(reply);
      return reply
        .code(202)
        .send({ status: 'accepted', message: REGISTER_MESSAGE });
    },
  );

  routes.post(
    '/auth/login',
    {
      schema: {
        summary: 'Sign in with email and password',
        tags: ['auth'],
        body: loginBody,
        response: { 200: tokenPairResponse },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body;

      // Taken before the password is compared, so parallel guesses for one
      // account cannot all pass while the first ones are still hashing.
      // A load test with the bypass token signs one account in many times
      // in parallel, which the lock would otherwise stop.
      const attempt = request.rateLimitBypassed
        ? { allowed: true as const }
        : await loginThrottle.consume(email);
      if (!attempt.allowed) {
        if (attempt.lockStarted)
          request.securityEvent('account_locked', { email });
        request.securityEvent('login_failed', {
          email,
          reason: 'account_locked',
        });
        throw accountLocked(
          'Too many failed sign-ins for this account',
          attempt.retryAfterSeconds,
        );
      }

      const check = await verifyCredentials(
        app.prisma,
        passwords,
        email,
        password,
      );
      if (!check.user) {
        request.securityEvent('login_failed', { email, reason: check.reason });
        throw new AppError('INVALID_CREDENTIALS');
      }
      const user = check.user;
      await loginThrottle.reset(email);
      request.securityEvent('login_success', { userId: user.id, email });

      const refreshToken = await createRefreshToken(
        app.prisma,
        user.id,
        refreshTokenTtlDays,
      );
      noStore(reply);
      return tokenPair(user, refreshToken);
    },
  );

  routes.post(
    '/auth/refresh',
    {
      schema: {
        summary: 'Exchange a refresh token for a new token pair',
        description:
          'The presented token stops working. Presenting it again revokes every token of its sign-in.',
        tags: ['auth'],
        body: refreshBody,
        response: { 200: tokenPairResponse },
      },
    },
    async (request, reply) => {
      const result = await rotateRefreshToken(
        app.prisma,
        request.body.refreshToken,
        refreshTokenTtlDays,
      );

      if (result.status === 'reused') {
        request.securityEvent('token_reuse_detected', {
          userId: result.userId,
          familyId: result.familyId,
        });
      }
      if (result.status !== 'rotated') {
        throw new AppError(
          'UNAUTHENTICATED',
          'The refresh token is invalid, expired or revoked: sign in again.',
        );
      }

      noStore(reply);
      return tokenPair(result.user, result.refreshToken);
    },
  );

  routes.post(
    '/auth/logout',
    {
      schema: {
        summary:
          'Revoke a refresh token and every token rotated from the same sign-in',
        tags: ['auth'],
        body: logoutBody,
        response: {
          204: z.null().describe('No content: the token family is revoked'),
        },
      },
    },
    async (request, reply) => {
      const revoked = await revokeRefreshToken(
        app.prisma,
        request.body.refreshToken,
      );
      request.securityEvent('logout', {
        userId: revoked?.userId,
        revoked: revoked !== null,
      });

      noStore(reply);
      return reply.code(204).send(null);
    },
  );

  routes.get(
    '/auth/me',
    {
      onRequest: [app.authenticate],
      schema: {
        summary: 'The signed-in account',
        tags: ['auth'],
        security: bearer,
        response: { 200: userResponse },
      },
    },
    async (request, reply) => {
      const user = await findActiveUser(app.prisma, request.user.id);
      if (!user)
        throw new AppError(
          'UNAUTHENTICATED',
          'The account no longer exists or is disabled.',
        );

      noStore(reply);
      return toUserResponse(user);
    },
  );

  routes.patch(
    '/auth/me',
    {
      onRequest: [app.authenticate],
      schema: {
        summary: 'Change the name of the signed-in account',
        tags: ['auth'],
        security: bearer,
        body: updateMeBody,
        response: { 200: userResponse },
      },
    },
    async (request, reply) => {
      const user = await updateUserName(
        app.prisma,
        request.user.id,
        request.body.name,
      );
      if (!user)
        throw new AppError(
          'UNAUTHENTICATED',
          'The account no longer exists or is disabled.',
        );

      noStore(reply);
      return toUserResponse(user);
    },
  );

  routes.post(
    '/auth/change-password',
    {
      onRequest: [app.authenticate],
      schema: {
        summary: 'Change the password and sign out every other session',
        tags: ['auth'],
        security: bearer,
        body: changePasswordBody,
        response: { 200: tokenPairResponse },
      },
    },
    async (request, reply) => {
      const account = await findActiveUser(app.prisma, request.user.id);
      if (!account)
        throw new AppError(
          'UNAUTHENTICATED',
          'The account no longer exists or is disabled.',
        );

      // Guesses of the current password count against the same per-account
      // budget as failed sign-ins, so a stolen access token gives no more
      // guesses than the login form. The point is taken before bcrypt runs.
      const attempt = await loginThrottle.consume(account.email);
      if (!attempt.allowed) {
        if (attempt.lockStarted)
          request.securityEvent('account_locked', { email: account.email });
        request.securityEvent('access_denied', {
          reason: 'account_locked',
        });
        throw accountLocked(
          'Too many wrong current passwords for this account',
          attempt.retryAfterSeconds,
        );
      }

      const result = await changePassword(
        app.prisma,
        passwords,
        request.user.id,
        request.body,
        refreshTokenTtlDays,
      );
      // 403 rather than 401: the access token is valid, so a client must not
      // react by refreshing it or signing the user out.
      if (!result) {
        request.securityEvent('access_denied', {
          reason: 'wrong_current_password',
        });
        throw new AppError('FORBIDDEN', 'The current password is incorrect.');
      }

      await loginThrottle.reset(account.email);
      request.securityEvent('password_changed', { userId: request.user.id });
      noStore(reply);
      return tokenPair(result.user, result.refreshToken);
    },
  );
}
