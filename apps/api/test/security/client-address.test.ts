import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';

import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startSecurityApp, type SecurityTestApp } from './support.js';

const INVALID_ADDRESS_WARNING =
  'X-Forwarded-For from a trusted proxy contains an invalid client address';

let database: TestDatabase;
let proxied: SecurityTestApp;

before(async () => {
  database = await createTestDatabase();
  proxied = await startSecurityApp({
    database,
    env: { TRUST_PROXY_HOPS: '1' },
  });
});

after(async () => {
  await proxied.close();
  await database.drop();
});

// An empty body is rejected after the rate limit, so no bcrypt runs.
function loginVia(
  target: FastifyInstance,
  proxyAddress: string,
  forwardedFor: string,
): Promise<LightMyRequestResponse> {
  return target.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: proxyAddress,
    headers: { 'x-forwarded-for': forwardedFor },
    payload: {},
  });
}

async function statusCodes(
  proxyAddress: string,
  forwarded: readonly string[],
): Promise<number[]> {
  const codes: number[] = [];
  for (const value of forwarded) {
    codes.push((await loginVia(proxied.app, proxyAddress, value)).statusCode);
  }
  return codes;
}

describe('client address', () => {
  test('client address - invalid forwarded values share the proxy budget', async () => {
    const codes = await statusCodes('10.2.0.1', [
      'not-an-ip',
      '203.0.113.1:1234',
      '203.0.113.001',
      '[::ffff:203.0.113.1]',
      'fe80::1%eth0',
      '',
    ]);

    assert.deepEqual(codes.slice(0, 5).includes(429), false);
    assert.equal(codes[5], 429);
  });

  test('client address - mapped IPv6 and IPv4 share one budget', async () => {
    const codes = await statusCodes('10.2.0.2', [
      '203.0.113.7',
      '::ffff:203.0.113.7',
      '::FFFF:203.0.113.7',
      '203.0.113.7',
      '::ffff:cb00:7107',
      '203.0.113.7',
    ]);

    assert.equal(codes[5], 429);
  });

  test('client address - valid addresses keep separate budgets', async () => {
    await statusCodes('10.2.0.3', Array(6).fill('203.0.113.20'));

    const other = await loginVia(proxied.app, '10.2.0.3', '203.0.113.21');

    assert.notEqual(other.statusCode, 429);
  });

  test('client address - invalid value is logged once', () => {
    const warnings = proxied.logs.lines.filter((line) =>
      String(line.msg).startsWith(INVALID_ADDRESS_WARNING),
    );

    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.level, 40);
  });
});

describe(
  'rate limit keys',
  { skip: process.env.REDIS_URL ? false : 'REDIS_URL is unset' },
  () => {
    test('rate limit keys - named by policy and client', async () => {
      const redisKeyPrefix = `test:security:keys:${randomUUID()}:`;
      const keyed = await startSecurityApp({ database, redisKeyPrefix });
      const redis = new Redis(process.env.REDIS_URL as string);

      try {
        await keyed.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          remoteAddress: '203.0.113.30',
          payload: {},
        });
        await keyed.app.inject({
          method: 'GET',
          url: '/api/products',
          remoteAddress: '203.0.113.31',
        });
        const keys = await redis.keys(`${redisKeyPrefix}rate-limit*`);
        const names = keys
          .map((key) => key.slice(redisKeyPrefix.length))
          .sort();

        assert.deepEqual(names, [
          'rate-limit:general:ip:203.0.113.31',
          'rate-limit:login:203.0.113.30',
        ]);
      } finally {
        const leftover = await redis.keys(`${redisKeyPrefix}*`);
        if (leftover.length > 0) await redis.del(...leftover);
        redis.disconnect();
        await keyed.close();
      }
    });
  },
);

describe('missing Redis warning', () => {
  test('missing Redis warning - logged once', async () => {
    const local = await startSecurityApp({ database, env: { REDIS_URL: '' } });

    try {
      const warnings = local.logs.lines.filter((line) =>
        String(line.msg).includes('REDIS_URL is unset'),
      );

      assert.equal(warnings.length, 1);
    } finally {
      await local.close();
    }
  });
});
