import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { buildTestApp, type TestApp } from '../../helpers/app.js';

// No service of this project listens on these ports, so connections to
// them are refused.
const UNREACHABLE_REDIS_URL = 'redis://127.0.0.1:4197';
const UNREACHABLE_DATABASE_URL = 'postgres://postgres@127.0.0.1:4198/shop';

describe('health', () => {
  let testApp: TestApp;

  before(async () => {
    testApp = await buildTestApp();
    // Opens the first pool connection, which can take longer than the
    // readiness timeout on a loaded machine with the embedded database.
    await testApp.prisma.$queryRaw`SELECT 1`;
  });
  after(async () => {
    await testApp.close();
  });

  test('health - liveness returns ok', async () => {
    const response = await testApp.app.inject({
      method: 'GET',
      url: '/health',
    });

    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok' });
  });

  test('ready - dependencies reachable', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/ready' });
    const expectedRedis = testApp.app.redis ? 'ok' : 'memory';

    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), {
      status: 'ready',
      checks: { database: 'ok', redis: expectedRedis },
    });
  });

  test('ready - 503 while shutting down', async () => {
    testApp.app.readiness.shuttingDown = true;
    try {
      const response = await testApp.app.inject({
        method: 'GET',
        url: '/ready',
      });

      assert.equal(response.statusCode, 503);
      assert.equal(response.json().error.code, 'SERVICE_UNAVAILABLE');
    } finally {
      testApp.app.readiness.shuttingDown = false;
    }
  });
});

describe('ready with failing dependencies', () => {
  test('ready - 503 names unreachable Redis', async () => {
    const testApp = await buildTestApp({ redisUrl: UNREACHABLE_REDIS_URL });
    try {
      await testApp.prisma.$queryRaw`SELECT 1`;
      const response = await testApp.app.inject({
        method: 'GET',
        url: '/ready',
      });
      const error = response.json().error;

      assert.equal(response.statusCode, 503);
      assert.equal(error.code, 'SERVICE_UNAVAILABLE');
      assert.match(error.message, /redis/);
      assert.doesNotMatch(error.message, /database/);
      assert.deepEqual(error.details, [
        { path: 'redis', message: 'redis is unreachable' },
      ]);
    } finally {
      await testApp.close();
    }
  });

  test('ready - 503 names unreachable database', async () => {
    const testApp = await buildTestApp({
      databaseUrl: UNREACHABLE_DATABASE_URL,
    });
    try {
      const response = await testApp.app.inject({
        method: 'GET',
        url: '/ready',
      });
      const error = response.json().error;

      assert.equal(response.statusCode, 503);
      assert.match(error.message, /database/);
      assert.doesNotMatch(response.body, /ECONNREFUSED|4198/);
    } finally {
      await testApp.close();
    }
  });

  test('ready - memory when Redis is unset', async () => {
    const testApp = await buildTestApp({ redisUrl: undefined });
    try {
      await testApp.prisma.$queryRaw`SELECT 1`;
      const response = await testApp.app.inject({
        method: 'GET',
        url: '/ready',
      });

      assert.equal(response.statusCode, 200);
      assert.equal(response.json().checks.redis, 'memory');
    } finally {
      await testApp.close();
    }
  });
});
