import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

import { ConfigError, loadConfig } from '../../src/config.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import {
  createAccount,
  startSecurityApp,
  type SecurityTestApp,
} from './support.js';

const BYPASS_TOKEN = randomBytes(32).toString('base64url');

let database: TestDatabase;
let testApp: SecurityTestApp;
let app: FastifyInstance;

// Every app of this file shares one database, because starting an
// embedded one per app would take seconds each. Each app still gets its
// own Redis key prefix, so their counters stay apart.
before(async () => {
  database = await createTestDatabase();
  testApp = await startSecurityApp({
    database,
    env: { BCRYPT_COST: '4', RATE_LIMIT_BYPASS_TOKEN: BYPASS_TOKEN },
  });
  app = testApp.app;
});

after(async () => {
  await testApp.close();
  await database.drop();
});

// An invalid body keeps bcrypt out of the loop: the limit is checked
// before the body is validated, so every attempt counts.
function login(
  target: FastifyInstance,
  remoteAddress: string,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return target.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress,
    headers,
    payload: {},
  });
}

async function statuses(
  count: number,
  send: (attempt: number) => Promise<LightMyRequestResponse>,
): Promise<number[]> {
  const result: number[] = [];

  for (let attempt = 0; attempt < count; attempt++) {
    result.push((await send(attempt)).statusCode);
  }

  return result;
}

describe('login rate limit', () => {
  test('login rate limit - five attempts pass', async () => {
    const codes = await statuses(5, () => login(app, '203.0.113.1'));

    assert.ok(!codes.includes(429), `statuses ${codes.join(',')}`);
  });

  test('login rate limit - sixth attempt is 429', async () => {
    const codes = await statuses(6, () => login(app, '203.0.113.2'));

    assert.equal(codes[5], 429);
  });

  test('login rate limit - 429 carries the headers and body', async () => {
    await statuses(5, () => login(app, '203.0.113.3'));
    const response = await login(app, '203.0.113.3');
    const retryAfter = Number(response.headers['retry-after']);

    assert.ok(retryAfter > 0, `Retry-After ${retryAfter}`);
    assert.ok(retryAfter <= 900, `Retry-After ${retryAfter}`);
    assert.equal(response.headers['ratelimit-limit'], '5');
    assert.equal(response.headers['ratelimit-remaining'], '0');
    assert.equal(Number(response.headers['ratelimit-reset']), retryAfter);
    assert.equal(response.json().error.code, 'RATE_LIMITED');
    assert.equal(typeof response.json().error.requestId, 'string');
  });

  test('login rate limit - other address keeps its budget', async () => {
    await statuses(6, () => login(app, '203.0.113.4'));
    const other = await login(app, '203.0.113.5');

    assert.notEqual(other.statusCode, 429);
  });

  test('login rate limit - rotating X-Forwarded-For is ignored', async () => {
    const codes = await statuses(6, (attempt) =>
      login(app, '203.0.113.6', { 'x-forwarded-for': `10.0.0.${attempt + 1}` }),
    );

    assert.equal(codes[5], 429);
  });
});

describe('register rate limit', () => {
  test('register rate limit - fourth attempt in an hour is 429', async () => {
    const codes = await statuses(4, () =>
      app.inject({
        method: 'POST',
        url: '/api/auth/register',
        remoteAddress: '203.0.113.20',
        payload: {},
      }),
    );

    assert.deepEqual(codes.slice(0, 3).includes(429), false);
    assert.equal(codes[3], 429);
  });

  test('register rate limit - reports a limit of 3', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      remoteAddress: '203.0.113.21',
      payload: {},
    });

    assert.equal(response.headers['ratelimit-limit'], '3');
  });
});

describe('general rate limit', () => {
  test('general rate limit - 101st request in a minute is 429', async () => {
    const codes = await statuses(101, () =>
      app.inject({
        method: 'GET',
        url: '/api/categories',
        remoteAddress: '203.0.113.30',
      }),
    );

    assert.ok(!codes.slice(0, 100).includes(429), 'first 100 pass');
    assert.equal(codes[100], 429);
  });

  test('general rate limit - unknown routes count too', async () => {
    const codes = await statuses(101, () =>
      app.inject({
        method: 'GET',
        url: '/api/missing',
        remoteAddress: '203.0.113.31',
      }),
    );

    assert.equal(codes[100], 429);
  });

  test('general rate limit - signed-in user has an own budget', async () => {
    const account = await createAccount(app);
    await statuses(101, () =>
      app.inject({
        method: 'GET',
        url: '/api/categories',
        remoteAddress: '203.0.113.32',
      }),
    );
    const signedIn = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      remoteAddress: '203.0.113.32',
      headers: { authorization: `Bearer ${account.accessToken}` },
    });

    assert.equal(signedIn.statusCode, 200);
    assert.equal(signedIn.headers['ratelimit-remaining'], '99');
  });

  test('general rate limit - forged token counts against the address', async () => {
    await statuses(100, () =>
      app.inject({
        method: 'GET',
        url: '/api/categories',
        remoteAddress: '203.0.113.33',
      }),
    );
    const forged = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      remoteAddress: '203.0.113.33',
      headers: { authorization: 'Bearer aaa.bbb.ccc' },
    });

    assert.equal(forged.statusCode, 429);
  });

  test('general rate limit - probes are not limited', async () => {
    const codes = await statuses(105, () =>
      app.inject({
        method: 'GET',
        url: '/health',
        remoteAddress: '203.0.113.34',
      }),
    );

    assert.ok(!codes.includes(429));
  });

  test('general rate limit - product images are not limited', async () => {
    const codes = await statuses(150, () =>
      app.inject({
        method: 'GET',
        url: '/api/images/products/13-inch-ultrabook.svg',
        remoteAddress: '203.0.113.35',
      }),
    );

    assert.ok(
      !codes.includes(429),
      `statuses ${[...new Set(codes)].join(',')}`,
    );
    assert.equal(codes[149], 200);
  });
});

describe('rate limit bypass', () => {
  test('rate limit bypass - valid token passes every limit', async () => {
    const codes = await statuses(8, () =>
      login(app, '203.0.113.40', { 'x-load-test-bypass': BYPASS_TOKEN }),
    );

    assert.ok(!codes.includes(429), `statuses ${codes.join(',')}`);
  });

  test('rate limit bypass - wrong token is limited', async () => {
    const codes = await statuses(6, () =>
      login(app, '203.0.113.41', { 'x-load-test-bypass': `${BYPASS_TOKEN}x` }),
    );

    assert.equal(codes[5], 429);
  });

  test('rate limit bypass - each use is logged', async () => {
    const before = testApp.logs.events('rate_limit_bypass_used').length;
    await statuses(3, () =>
      login(app, '203.0.113.42', { 'x-load-test-bypass': BYPASS_TOKEN }),
    );
    const logged =
      testApp.logs.events('rate_limit_bypass_used').length - before;

    assert.equal(logged, 3);
  });

  test('rate limit bypass - off without a configured token', async () => {
    const plain = await startSecurityApp({
      database,
      env: { BCRYPT_COST: '4' },
    });

    try {
      const codes = await statuses(6, () =>
        login(plain.app, '203.0.113.43', {
          'x-load-test-bypass': BYPASS_TOKEN,
        }),
      );
      assert.equal(codes[5], 429);
    } finally {
      await plain.close();
    }
  });
});

describe('rate limit configuration', () => {
  test('rate limit configuration - short bypass token stops startup', () => {
    assert.throws(
      () =>
        loadConfig({
          NODE_ENV: 'test',
          RATE_LIMIT_BYPASS_TOKEN: 'x'.repeat(31),
        }),
      ConfigError,
    );
  });

  test('rate limit configuration - trust proxy true is rejected', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'test', TRUST_PROXY_HOPS: 'true' }),
      ConfigError,
    );
  });
});

describe('rate limit behind a proxy', () => {
  test('rate limit behind a proxy - clients have separate budgets', async () => {
    const proxied = await startSecurityApp({
      database,
      env: { TRUST_PROXY_HOPS: '1' },
    });
    const viaProxy = (client: string) =>
      login(proxied.app, '10.1.0.1', { 'x-forwarded-for': client });

    try {
      const first = await statuses(6, () => viaProxy('198.51.100.10'));
      const second = await viaProxy('198.51.100.11');

      assert.equal(first[5], 429);
      assert.notEqual(second.statusCode, 429);
    } finally {
      await proxied.close();
    }
  });

  test('rate limit behind a proxy - client cannot add hops', async () => {
    const proxied = await startSecurityApp({
      database,
      env: { TRUST_PROXY_HOPS: '1' },
    });

    try {
      // Only the address that the trusted proxy appended counts. The
      // forged entries that the client put before it are ignored.
      const codes = await statuses(6, (attempt) =>
        login(proxied.app, '10.1.0.1', {
          'x-forwarded-for': `10.9.9.${attempt}, 198.51.100.12`,
        }),
      );
      assert.equal(codes[5], 429);
    } finally {
      await proxied.close();
    }
  });
});

describe(
  'rate limit store',
  { skip: process.env.REDIS_URL ? false : 'REDIS_URL is unset' },
  () => {
    test('rate limit store - two instances share the counters', async () => {
      const redisKeyPrefix = `test:security:shared:${randomUUID()}:`;
      const first = await startSecurityApp({ database, redisKeyPrefix });
      const second = await startSecurityApp({ database, redisKeyPrefix });

      try {
        await statuses(3, () => login(first.app, '203.0.113.50'));
        const codes = await statuses(3, () =>
          login(second.app, '203.0.113.50'),
        );

        assert.deepEqual(codes.slice(0, 2).includes(429), false);
        assert.equal(codes[2], 429);
      } finally {
        await first.close();
        await second.close();
      }
    });
  },
);

describe('rate limit memory fallback', () => {
  test('rate limit memory fallback - logs that counters are local', async () => {
    const local = await startSecurityApp({ database, env: { REDIS_URL: '' } });

    try {
      const warning = local.logs.lines.find((line) =>
        String(line.msg).includes('cache and counters live in process memory'),
      );
      assert.ok(warning, 'warning logged');
      assert.equal(warning?.level, 40);
    } finally {
      await local.close();
    }
  });

  test('rate limit memory fallback - still limits', async () => {
    const local = await startSecurityApp({ database, env: { REDIS_URL: '' } });

    try {
      const codes = await statuses(6, () => login(local.app, '203.0.113.60'));
      assert.equal(codes[5], 429);
    } finally {
      await local.close();
    }
  });
});
