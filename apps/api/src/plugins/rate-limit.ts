import { createHash, timingSafeEqual } from 'node:crypto';

import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';

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

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

declare module 'fastify' {
  interface FastifyRequest {
    /** True when the request carried the valid load-test bypass token. */
    rateLimitBypassed: boolean;
  }
}

// Liveness and readiness probes come from the orchestrator every few
// seconds and must keep responding while a client is being limited.
const UNLIMITED_ROUTES = new Set(['/health', '/ready']);

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

function clientAddress(request: FastifyRequest): string {
  return normalizeIP(request.ip);
}

/**
 * Keys the general budget by user id when the request carries a valid
 * access token, so users behind one NAT do not share a budget, and by
 * address otherwise. An invalid token counts against the address.
 */
async function generalKey(
  app: FastifyInstance,
  request: FastifyRequest,
): Promise<string> {
  const token = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1];

  if (token !== undefined) {
    try {
      const user = await app.accessTokens.verify(token);

      return `general:user:${user.id}`;
    } catch {
      // The authenticate hook rejects and logs the token later.
    }
  }

  return `general:ip:${clientAddress(request)}`;
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
  if (options.redis === null) {
    app.log.warn(
      'REDIS_URL is unset: rate-limit counters live in process memory, so each API process counts on its own',
    );
  }

  await app.register(fastifyRateLimit, {
    global: false,
    ...(options.redis ? { redis: options.redis } : {}),
    nameSpace: 'rate-limit:',
  });

  // Each key starts with its policy name, so the three limiters never
  // share a counter even though they share one store.
  const limiters: Record<PolicyName, Limiter> = {
    login: app.createRateLimit({
      max: RATE_LIMIT_POLICIES.login.max,
      timeWindow: RATE_LIMIT_POLICIES.login.timeWindowMs,
      keyGenerator: (request) => `login:${clientAddress(request)}`,
    }),
    register: app.createRateLimit({
      max: RATE_LIMIT_POLICIES.register.max,
      timeWindow: RATE_LIMIT_POLICIES.register.timeWindowMs,
      keyGenerator: (request) => `register:${clientAddress(request)}`,
    }),
    general: app.createRateLimit({
      max: RATE_LIMIT_POLICIES.general.max,
      timeWindow: RATE_LIMIT_POLICIES.general.timeWindowMs,
      keyGenerator: (request) => generalKey(app, request),
      // A Redis outage must not take reads down with it; /ready reports
      // the outage. Login and register fail closed instead.
      skipOnError: true,
    }),
  };
  const isBypass = createBypassCheck(options.bypassToken);
  app.decorateRequest('rateLimitBypassed', false);

  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'GET' && UNLIMITED_ROUTES.has(request.routeOptions.url ?? '')) {
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
    const result = await limiters[policy](request);

    if (result.isAllowed) {
      return;
    }

    setLimitHeaders(reply, result.max, result.remaining, result.ttlInSeconds);

    if (!result.isExceeded) {
      return;
    }

    request.securityEvent('rate_limit_exceeded', {
      policy,
      limit: result.max,
      windowSeconds: result.timeWindow / 1000,
    });

    const retryAfter = String(result.ttlInSeconds);

    throw new AppError(
      'RATE_LIMITED',
      `Too many requests: retry in ${retryAfter} seconds.`,
      {
        headers: {
          'Retry-After': retryAfter,
          'RateLimit-Limit': String(result.max),
          'RateLimit-Remaining': '0',
          'RateLimit-Reset': retryAfter,
        },
      },
    );
  });
}

/**
 * Per-client request budgets on every route (login 5 per 15 minutes,
 * register 3 per hour, the rest 100 per minute) with counters in Redis,
 * shared by every API process. A 429 carries Retry-After and the
 * RateLimit-* headers.
 */
export default fp(rateLimitPlugin, {
  name: 'rate-limit',
  fastify: '5.x',
  dependencies: ['authentication', 'security-events', 'error-handler'],
});
