import { randomUUID } from 'node:crypto';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';

import type { AppConfig } from '../config.js';
import { AppError } from '../errors.js';

export type Role = 'customer' | 'admin';

/** The caller identified by a verified access token. */
export interface AuthenticatedUser {
  id: string;
  role: Role;
}

/** Signs and verifies the API's access tokens (JWT, HS256 only). */
export interface AccessTokens {
  sign(user: AuthenticatedUser): Promise<string>;
  verify(token: string): Promise<AuthenticatedUser>;
  ttlSeconds: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    accessTokens: AccessTokens;
    /**
     * onRequest hook: verifies the Bearer token, rejects a disabled or deleted
     * account and sets `request.user` with the role stored in the database.
     */
    authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void>;
    /** onRequest hook for after `authenticate`: allows active admins only. */
    requireAdmin(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
  interface FastifyRequest {
    /** Set by `app.authenticate`; read it only in routes that use that hook. */
    user: AuthenticatedUser;
  }
}

// The only accepted algorithm. Taking it from the token header would let an
// attacker pick `none` or turn a public key into an HMAC secret.
const ALGORITHM = 'HS256';

// A compact JWS: three base64url parts. Longer headers are not ours.
const BEARER_PATTERN =
  /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i;
const MAX_TOKEN_LENGTH = 4096;

// Allowed clock difference between the API processes that sign and verify
// tokens, in seconds. Applies to `exp`, `nbf` and `iat`.
const CLOCK_TOLERANCE_SECONDS = 5;

export function createAccessTokens(jwt: AppConfig['jwt']): AccessTokens {
  const key = new TextEncoder().encode(jwt.secret);

  return {
    ttlSeconds: jwt.accessTokenTtlSeconds,

    async sign(user) {
      return new SignJWT({ role: user.role })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(user.id)
        .setIssuer(jwt.issuer)
        .setAudience(jwt.audience)
        .setIssuedAt()
        .setExpirationTime(`${jwt.accessTokenTtlSeconds}s`)
        .setJti(randomUUID())
        .sign(key);
    },

    async verify(token) {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [ALGORITHM],
        issuer: jwt.issuer,
        audience: jwt.audience,
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        // Rejects an `iat` older than the TTL and an `iat` in the future.
        maxTokenAge: jwt.accessTokenTtlSeconds,
      });
      // maxTokenAge bounds the age, not `exp`: a token signed with a far
      // `exp` must not outlive the TTL either.
      const lifetime = (payload.exp as number) - (payload.iat as number);
      if (lifetime > jwt.accessTokenTtlSeconds + CLOCK_TOLERANCE_SECONDS) {
        throw new joseErrors.JWTClaimValidationFailed(
          '"exp" is further from "iat" than the access-token lifetime',
          payload,
          'exp',
          'check_failed',
        );
      }
      const role = payload.role;
      if (
        typeof payload.sub !== 'string' ||
        (role !== 'customer' && role !== 'admin')
      ) {
        throw new joseErrors.JWTClaimValidationFailed(
          'unexpected "sub" or "role" claim',
          payload,
        );
      }
      return { id: payload.sub, role };
    },
  };
}

function unauthenticated(tokenPresented: boolean, cause?: unknown): AppError {
  // RFC 6750 section 3: a 401 names the scheme, and `invalid_token` when a
  // token was sent but rejected.
  const challenge = tokenPresented
    ? 'Bearer realm="api", error="invalid_token"'
    : 'Bearer realm="api"';
  const message = tokenPresented
    ? 'The access token is invalid or expired: refresh it or sign in again.'
    : 'Authentication is required: send an access token as Authorization: Bearer <token>.';

  return new AppError('UNAUTHENTICATED', message, {
    cause,
    headers: { 'WWW-Authenticate': challenge },
  });
}

async function authenticationPlugin(
  app: FastifyInstance,
  options: { jwt: AppConfig['jwt'] },
): Promise<void> {
  const accessTokens = createAccessTokens(options.jwt);
  app.decorate('accessTokens', accessTokens);
  app.decorateRequest('user', null as unknown as AuthenticatedUser);

  app.decorate('authenticate', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (!header) throw unauthenticated(false);

    const match =
      header.length <= MAX_TOKEN_LENGTH ? BEARER_PATTERN.exec(header) : null;
    if (!match?.[1]) {
      request.securityEvent('token_rejected', { reason: 'malformed_header' });
      throw unauthenticated(true);
    }

    let claims: AuthenticatedUser;
    try {
      claims = await accessTokens.verify(match[1]);
    } catch (err) {
      // jose error codes name the failed check, such as ERR_JWT_EXPIRED or
      // ERR_JOSE_ALG_NOT_ALLOWED; `claim` names a wrong iss or aud.
      const { code, claim } = err as { code?: string; claim?: string };
      request.securityEvent('token_rejected', {
        reason: code ?? (err as Error).name,
        claim,
      });
      throw unauthenticated(true, err);
    }

    // The token may be up to 15 minutes old, so the role and the active
    // flag come from the current row: a disabled account loses access on
    // every route at once, and a demoted admin loses admin access.
    const account = await app.prisma.user.findUnique({
      where: { id: claims.id },
      select: { role: true, active: true },
    });
    if (!account || !account.active) {
      request.securityEvent('token_rejected', { reason: 'account_disabled' });
      throw unauthenticated(true);
    }
    request.user = { id: claims.id, role: account.role };
  });

  // Runs after `authenticate`, which has already read the role from the
  // database for this request.
  app.decorate('requireAdmin', async (request: FastifyRequest) => {
    if (!request.user) throw unauthenticated(false);

    if (request.user.role !== 'admin') {
      request.securityEvent('access_denied', { reason: 'admin_required' });
      throw new AppError(
        'FORBIDDEN',
        'This action requires an administrator account.',
      );
    }
  });
}

/** Decorates `app.authenticate`, `app.requireAdmin` and `app.accessTokens`. */
export default fp(authenticationPlugin, {
  name: 'authentication',
  dependencies: ['database', 'security-events'],
});
