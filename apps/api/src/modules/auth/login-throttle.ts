import { createHash } from 'node:crypto';

import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

/** Failed attempts per email before the account is locked. */
export const LOGIN_ATTEMPTS_PER_ACCOUNT = 5;
/** Window in which the failed attempts are counted, in seconds. */
export const LOGIN_ATTEMPT_WINDOW_SECONDS = 15 * 60;
/** How long a locked account rejects every attempt, in seconds. */
export const ACCOUNT_LOCK_SECONDS = 15 * 60;

export type LoginAttempt =
  | { allowed: true }
  | {
      allowed: false;
      retryAfterSeconds: number;
      /** True for the attempt that started the lock, false while it lasts. */
      lockStarted: boolean;
    };

/**
 * Per-account brute-force protection for login. Every attempt takes one
 * point before the password is compared, in one atomic Redis script, so
 * parallel guesses cannot all pass a check made before any of them
 * failed. A successful login gives the points back.
 */
export interface LoginThrottle {
  consume(email: string): Promise<LoginAttempt>;
  reset(email: string): Promise<void>;
}

// The key is a hash of the normalised address, so Redis stores no email
// and `Ann@X.test` and `ann@x.test` share one counter.
function accountKey(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}

function createLimiter(redis: Redis | null): RateLimiterAbstract {
  const options = {
    keyPrefix: 'login-account',
    points: LOGIN_ATTEMPTS_PER_ACCOUNT,
    duration: LOGIN_ATTEMPT_WINDOW_SECONDS,
    blockDuration: ACCOUNT_LOCK_SECONDS,
  };

  return redis === null
    ? new RateLimiterMemory(options)
    : new RateLimiterRedis({ ...options, storeClient: redis });
}

/**
 * Creates the account throttle on the given Redis connection, or in
 * process memory when it is null (one process only).
 */
export function createLoginThrottle(redis: Redis | null): LoginThrottle {
  const limiter = createLimiter(redis);

  return {
    async consume(email) {
      try {
        await limiter.consume(accountKey(email));

        return { allowed: true };
      } catch (rejection) {
        // Store errors are not a RateLimiterRes and must fail the login.
        if (!(rejection instanceof RateLimiterRes)) {
          throw rejection;
        }

        return {
          allowed: false,
          retryAfterSeconds: Math.max(
            1,
            Math.ceil(rejection.msBeforeNext / 1000),
          ),
          lockStarted:
            rejection.consumedPoints === LOGIN_ATTEMPTS_PER_ACCOUNT + 1,
        };
      }
    },

    async reset(email) {
      await limiter.delete(accountKey(email));
    },
  };
}
