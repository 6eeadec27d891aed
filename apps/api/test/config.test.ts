import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { ConfigError, loadConfig } from '../src/config.js';

const STRONG_SECRET = 'k3V9q2Lr8Zp1Tx6Wm4Hb7Nc0Ys5Fd2Gj9Ue1Ri8Oa';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('config', () => {
  test('config - defaults for an empty environment', () => {
    const config = loadConfig({});

    assert.equal(config.nodeEnv, 'development');
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 4000);
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.redisUrl, undefined);
    assert.equal(config.jwt.accessTokenTtlSeconds, 900);
    assert.equal(config.trustProxyHops, 0);
    assert.deepEqual(config.checkout, {
      currency: 'EUR',
      shippingFlatCents: 499,
      freeShippingThresholdCents: 5000,
      taxRateBasisPoints: 2000,
    });
  });

  test('config - empty values count as unset', () => {
    const config = loadConfig({ DATABASE_URL: '', REDIS_URL: '', PORT: '' });

    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.redisUrl, undefined);
    assert.equal(config.port, 4000);
  });

  test('config - bad values name the variable', () => {
    const cases: [NodeJS.ProcessEnv, string][] = [
      [{ PORT: 'eighty' }, 'PORT'],
      [{ PORT: '70000' }, 'PORT'],
      [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
      [{ DATABASE_URL: 'mysql://localhost/shop' }, 'DATABASE_URL'],
      [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
      [{ ACCESS_TOKEN_TTL_SECONDS: '3600' }, 'ACCESS_TOKEN_TTL_SECONDS'],
      [{ TRUST_PROXY_HOPS: '-1' }, 'TRUST_PROXY_HOPS'],
      [{ TRUST_PROXY_HOPS: '1.5' }, 'TRUST_PROXY_HOPS'],
      [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'],
      [{ TAX_RATE_BASIS_POINTS: '20001' }, 'TAX_RATE_BASIS_POINTS'],
      [{ CHECKOUT_CURRENCY: 'euro' }, 'CHECKOUT_CURRENCY'],
      [{ RATE_LIMIT_BYPASS_TOKEN: 'short-token' }, 'RATE_LIMIT_BYPASS_TOKEN'],
    ];

    for (const [env, variable] of cases) {
      const problems = problemsOf({ ...env, JWT_SECRET: STRONG_SECRET });
      assert.equal(
        problems.length,
        1,
        `one problem for ${JSON.stringify(env)}`,
      );
      assert.match(problems[0] ?? '', new RegExp(`^${variable}: expected`));
    }
  });

  test('config - error lists every problem', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      PORT: 'x',
      LOG_LEVEL: 'loud',
    });
    const variables = problems.map((problem) => problem.split(':')[0]).sort();

    assert.deepEqual(variables, ['JWT_SECRET', 'LOG_LEVEL', 'PORT']);
  });

  test('config - invalid NODE_ENV gets production rules', () => {
    const problems = problemsOf({ NODE_ENV: 'prod' });

    assert.ok(
      problems.some((problem) => problem.startsWith('JWT_SECRET: missing')),
    );
  });

  test('config - bcrypt cost below 12 only in tests', () => {
    assert.equal(loadConfig({}).bcryptCost, 12);
    assert.equal(
      loadConfig({ NODE_ENV: 'test', BCRYPT_COST: '4' }).bcryptCost,
      4,
    );
    assert.match(
      problemsOf({ BCRYPT_COST: '10' })[0] ?? '',
      /^BCRYPT_COST: expected at least 12/,
    );
    assert.match(
      problemsOf({
        NODE_ENV: 'production',
        JWT_SECRET: STRONG_SECRET,
        BCRYPT_COST: '4',
      })[0] ?? '',
      /^BCRYPT_COST/,
    );
  });

  test('config - access token lifetime capped at 900 seconds', () => {
    assert.equal(
      loadConfig({ ACCESS_TOKEN_TTL_SECONDS: '900' }).jwt.accessTokenTtlSeconds,
      900,
    );
    assert.deepEqual(problemsOf({ ACCESS_TOKEN_TTL_SECONDS: '901' }).length, 1);
  });
});

describe('config JWT secret', () => {
  test('secret - production without secret fails', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });

    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /^JWT_SECRET: missing/);
  });

  test('secret - production with short secret fails', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      JWT_SECRET: 'a'.repeat(31),
    });

    assert.match(problems[0] ?? '', /^JWT_SECRET: too short \(31 bytes\)/);
  });

  test('secret - length counted in bytes', () => {
    // 16 two-byte characters are 32 bytes: long enough.
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'é'.repeat(16),
    });

    assert.equal(config.jwt.secret, 'é'.repeat(16));
  });

  test('secret - production with example secret fails', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      JWT_SECRET: 'change-me-to-a-long-random-secret-of-32-bytes-or-more',
    });

    assert.match(problems[0] ?? '', /^JWT_SECRET: a published example value/);
  });

  test('secret - production with strong secret starts', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: STRONG_SECRET,
    });

    assert.equal(config.jwt.secret, STRONG_SECRET);
    assert.equal(config.jwt.secretGenerated, false);
  });

  test('secret - development generates a random secret', () => {
    const first = loadConfig({ NODE_ENV: 'development' });
    const second = loadConfig({ NODE_ENV: 'test' });

    assert.equal(first.jwt.secretGenerated, true);
    assert.ok(Buffer.byteLength(first.jwt.secret) >= 32);
    assert.notEqual(first.jwt.secret, second.jwt.secret);
  });

  test('secret - development with short secret fails', () => {
    assert.match(
      problemsOf({ JWT_SECRET: 'short' })[0] ?? '',
      /^JWT_SECRET: too short/,
    );
  });
});
