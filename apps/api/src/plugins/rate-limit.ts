import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

import { AppError } from '../errors.js';

export interface RateLimitPolicy {
  max: number;
  timeWindowMs: number;
}

/** Request budgets per client. Login is also limited per account elsewhere. */
export const RATE_LIMIT_POLICIES = {
  // Slows password guessing from one address: 5 attempts per 15 minutes.
  login: { max: 5, timeWindowMs: 15 * 60_000 },
  // Slows mass account creation: 3 accounts per hour per address.
  register: { max: 3, timeWindowMs: 60 * 60_000 },
  // Everything else, per signed-in user or per address.
  general: { max: 100, timeWindowMs: 60_000 },
} as const satisfies Record<string, RateLimitPolicy>;

type PolicyName = keyof typeof RATE_LIMIT_POLICIES;

export const BYPASS_HEADER = 'x-load-test-bypass';

export interface RateLimitPluginOptions {
  /** Shared counter store; null keeps the counters in process memory. */
  redis: Redis | null;
  /** Token that skips every limit when sent in X-Load-Test-Bypass. */
  bypassToken?: string;
}

/** The state of one budget after a request was counted against it. */
interface LimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetSeconds: number;
}

type Limiter = (key: string) => Promise<LimitResult>;

declare module 'fastify' {
  interface FastifyRequest {
    /** True when the request carried the valid load-test bypass token. */
    rateLimitBypassed: boolean;
  }
}

// Liveness and readiness probes come from the orchestrator every few
// seconds and must keep responding while a client is being limited.
// Product images are static files served from memory, and a product list
// shows a dozen of them, so counting them would spend a shopper's budget.
const UNLIMITED_ROUTES = new Set([
  '/health',
  '/ready',
  '/api/images/products/:file',
]);

function policyFor(request: FastifyRequest): PolicyName {
  if (request.method !== 'POST') {
    return 'general';
  }

  switch (request.routeOptions.url) {
    case '/api/auth/login':
      return 'login';
    case '/api/auth/register':
      return 'register';
    default:
      return 'general';
  }
}

/** Prefix of every rate-limit counter key in Redis, after the app's own prefix. */
export const RATE_LIMIT_KEY_PREFIX = 'rate-limit';

type ClientAddress = (request: FastifyRequest) => string;

function isPlainIP(value: string): boolean {
  // Zone ids such as `fe80::1%eth0` pass net.isIP but name a local
  // interface, so they are not client addresses either.
  return isIP(value) !== 0 && !value.includes('%');
}

/**
 * Returns the client address that budgets are keyed by. Behind trusted
 * proxies, `request.ip` is whatever the proxy put into X-Forwarded-For, so
 * anything that is not a plain IP address (`203.0.113.1:1234`,
 * `[::1]`, `203.0.113.001`, free text) is replaced by the socket address.
 * Otherwise each variant would get a fresh budget. IPv4-mapped IPv6
 * addresses become IPv4, and IPv6 addresses are grouped by /64 prefix
 * (`normalizeIP` of @fastify/rate-limit).
 */
function createClientAddress(): ClientAddress {
  let invalidAddressLogged = false;

  return (request) => {
    if (isPlainIP(request.ip)) {
      return normalizeIP(request.ip);
    }

    // Logged once per process, because every request of a misconfigured
    // proxy would repeat it.
    if (!invalidAddressLogged) {
      invalidAddressLogged = true;
      request.log.warn(
        { forwardedAddress: request.ip.slice(0, 100) },
        'X-Forwarded-For from a trusted proxy contains an invalid client address; rate limits use the socket address instead (logged once)',
      );
    }

    const socketAddress = request.socket.remoteAddress ?? 'unknown';

    return isPlainIP(socketAddress)
      ? normalizeIP(socketAddress)
      : socketAddress;
  };
}

/**
 * Keys the general budget by user id when the request carries a valid
 * access token, so users behind one NAT do not share a budget, and by
 * address otherwise. An invalid token counts against the address.
 */
async function generalKey(
  app: FastifyInstance,
  request: FastifyRequest,
  clientAddress: ClientAddress,
): Promise<string> {
  const token = /^Bearer (\S+)$/i.exec(
    request.headers.authorization ?? '',
  )?.[1];

  if (token !== undefined) {
    try {
      const user = await app.accessTokens.verify(token);

      return `user:${user.id}`;
    } catch {
      // The authenticate hook rejects and logs the token later.
    }
  }

  return `ip:${clientAddress(request)}`;
}

/**
 * Creates a fixed-window budget whose counters are stored under
 * `rate-limit:<policy>:<client>`, in Redis when a connection is given and
 * in process memory otherwise. Store errors are thrown.
 */
function createLimiter(
  redis: Redis | null,
  name: PolicyName,
  policy: RateLimitPolicy,
): Limiter {
  const options = {
    keyPrefix: `${RATE_LIMIT_KEY_PREFIX}:${name}`,
    points: policy.max,
    duration: policy.timeWindowMs / 1000,
  };
  const limiter: RateLimiterAbstract =
    redis === null
      ? new RateLimiterMemory(options)
      : new RateLimiterRedis({ ...options, storeClient: redis });

  return async (key) => {
    let state: RateLimiterRes;
    let allowed = true;

    try {
      state = await limiter.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) {
        throw rejection;
      }
      state = rejection;
      allowed = false;
    }

    return {
      allowed,
      limit: policy.max,
      remaining: state.remainingPoints,
      resetSeconds: Math.max(1, Math.ceil(state.msBeforeNext / 1000)),
    };
  };
}

function createBypassCheck(
  token: string | undefined,
): (request: FastifyRequest) => boolean {
  if (token === undefined) {
    return () => false;
  }

  // Hashing both sides gives equal-length buffers, so timingSafeEqual
  // neither throws nor leaks the token length through its timing.
  const expected = createHash('sha256').update(token).digest();

  return (request) => {
    const presented = request.headers[BYPASS_HEADER];

    if (typeof presented !== 'string') {
      return false;
    }

    const actual = createHash('sha256').update(presented).digest();

    return timingSafeEqual(actual, expected);
  };
}

function setLimitHeaders(
  reply: FastifyReply,
  limit: number,
  remaining: number,
  resetSeconds: number,
): void {
  // Names from the IETF draft "RateLimit header fields for HTTP".
  reply.header('RateLimit-Limit', String(limit));
  reply.header('RateLimit-Remaining', String(remaining));
  reply.header('RateLimit-Reset', String(resetSeconds));
}

async function rateLimitPlugin(
  app: FastifyInstance,
  options: RateLimitPluginOptions,
): Promise<void> {
  // The redis plugin already warns once when REDIS_URL is unset, and its
  // message covers these counters too.
  const clientAddress = createClientAddress();
  const limiters: Record<PolicyName, Limiter> = {
    login: createLimiter(options.redis, 'login', RATE_LIMIT_POLICIES.login),
    register: createLimiter(
      options.redis,
      'register',
      RATE_LIMIT_POLICIES.register,
    ),
    general: createLimiter(
      options.redis,
      'general',
      RATE_LIMIT_POLICIES.general,
    ),
  };
  const isBypass = createBypassCheck(options.bypassToken);
  app.decorateRequest('rateLimitBypassed', false);

  async function countRequest(
    policy: PolicyName,
    request: FastifyRequest,
  ): Promise<LimitResult | null> {
    if (policy !== 'general') {
      // Login and register fail closed: a store error is a 500.
      return limiters[policy](clientAddress(request));
    }

    try {
      return await limiters.general(
        await generalKey(app, request, clientAddress),
      );
    } catch (err) {
      // A Redis outage must not take reads down with it; /ready reports
      // the outage.
      request.log.debug({ err }, 'general rate limit skipped: store error');
      return null;
    }
  }

  app.addHook('onRequest', async (request, reply) => {
    if (
      (request.method === 'GET' || request.method === 'HEAD') &&
      UNLIMITED_ROUTES.has(request.routeOptions.url ?? '')
    ) {
      return;
    }

    if (isBypass(request)) {
      request.rateLimitBypassed = true;
      request.securityEvent('rate_limit_bypass_used', {
        method: request.method,
        url: request.url,
      });

      return;
    }

    const policy = policyFor(request);
    const result = await countRequest(policy, request);

    if (result === null) {
      return;
    }

    setLimitHeaders(reply, result.limit, result.remaining, result.resetSeconds);

    if (result.allowed) {
      return;
    }

    request.securityEvent('rate_limit_exceeded', {
      policy,
      limit: result.limit,
      windowSeconds: RATE_LIMIT_POLICIES[policy].timeWindowMs / 1000,
    });

    const retryAfter = String(result.resetSeconds);

    throw new AppError(
      'RATE_LIMITED',
      `Too many requests: retry in ${retryAfter} seconds.`,
      {
        headers: {
          'Retry-After': retryAfter,
          'RateLimit-Limit': String(result.limit),
          'RateLimit-Remaining': '0',
          'RateLimit-Reset': retryAfter,
        },
      },
    );
  });
}

/**
 * Per-client request budgets on every route (login 5 per 15 minutes,
 * register 3 per hour, the rest 100 per minute) with counters in Redis
 * (rate-limiter-flexible), shared by every API process. A 429 carries
 * Retry-After and the RateLimit-* headers.
 */
export default fp(rateLimitPlugin, {
  name: 'rate-limit',
  fastify: '5.x',
  dependencies: ['authentication', 'security-events', 'error-handler'],
});
