import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';

import { Redis } from 'ioredis';

import {
  ACCOUNT_LOCK_SECONDS,
  createLoginThrottle,
  LOGIN_ATTEMPTS_PER_ACCOUNT,
  type LoginThrottle,
} from '../../src/modules/auth/login-throttle.js';

const redisUrl = process.env.REDIS_URL;
const redis = redisUrl
  ? new Redis(redisUrl, { keyPrefix: `test:login-throttle:${randomUUID()}:` })
  : null;

after(async () => {
  await redis?.quit();
});

const stores: [string, () => LoginThrottle][] = [
  ['memory', () => createLoginThrottle(null)],
];
if (redis) {
  stores.push(['redis', () => createLoginThrottle(redis)]);
}

for (const [storeName, create] of stores) {
  describe(`login throttle (${storeName})`, () => {
    test('login throttle - allows the first five attempts', async () => {
      const throttle = create();
      const email = `${randomUUID()}@example.com`;

      for (let attempt = 1; attempt <= LOGIN_ATTEMPTS_PER_ACCOUNT; attempt++) {
        const result = await throttle.consume(email);
        assert.equal(result.allowed, true, `attempt ${attempt}`);
      }
    });

    test('login throttle - locks on the sixth attempt', async () => {
      const throttle = create();
      const email = `${randomUUID()}@example.com`;

      for (let attempt = 1; attempt <= LOGIN_ATTEMPTS_PER_ACCOUNT; attempt++) {
        await throttle.consume(email);
      }
      const sixth = await throttle.consume(email);
      const seventh = await throttle.consume(email);

      assert.equal(sixth.allowed, false);
      assert.equal(!sixth.allowed && sixth.lockStarted, true);
      assert.equal(seventh.allowed, false);
      assert.equal(!seventh.allowed && seventh.lockStarted, false);
    });

    test('login throttle - lock lasts fifteen minutes', async () => {
      const throttle = create();
      const email = `${randomUUID()}@example.com`;

      for (let attempt = 0; attempt <= LOGIN_ATTEMPTS_PER_ACCOUNT; attempt++) {
        await throttle.consume(email);
      }
      const locked = await throttle.consume(email);

      assert.equal(locked.allowed, false);
      const retryAfter = locked.allowed ? 0 : locked.retryAfterSeconds;
      assert.ok(
        retryAfter > ACCOUNT_LOCK_SECONDS - 5,
        `retry after ${retryAfter}s`,
      );
      assert.ok(
        retryAfter <= ACCOUNT_LOCK_SECONDS,
        `retry after ${retryAfter}s`,
      );
    });

    test('login throttle - email casing shares one counter', async () => {
      const throttle = create();
      const local = randomUUID();

      for (let attempt = 1; attempt <= LOGIN_ATTEMPTS_PER_ACCOUNT; attempt++) {
        await throttle.consume(`${local}@example.com`);
      }
      const result = await throttle.consume(
        ` ${local.toUpperCase()}@EXAMPLE.COM`,
      );

      assert.equal(result.allowed, false);
    });

    test('login throttle - fifty parallel attempts let five through', async () => {
      const throttle = create();
      const email = `${randomUUID()}@example.com`;

      const results = await Promise.all(
        Array.from({ length: 50 }, () => throttle.consume(email)),
      );
      const allowed = results.filter((result) => result.allowed).length;
      const lockStarts = results.filter(
        (result) => !result.allowed && result.lockStarted,
      ).length;

      assert.equal(allowed, LOGIN_ATTEMPTS_PER_ACCOUNT);
      assert.equal(lockStarts, 1);
    });

    test('login throttle - reset clears the failures', async () => {
      const throttle = create();
      const email = `${randomUUID()}@example.com`;

      for (let attempt = 1; attempt < LOGIN_ATTEMPTS_PER_ACCOUNT; attempt++) {
        await throttle.consume(email);
      }
      await throttle.reset(email);

      for (let attempt = 1; attempt <= LOGIN_ATTEMPTS_PER_ACCOUNT; attempt++) {
        const result = await throttle.consume(email);
        assert.equal(result.allowed, true, `attempt ${attempt} after reset`);
      }
    });
  });
}
