import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Redis } from 'ioredis';

import { buildTestApp, type TestApp } from '../helpers/app.js';

async function exerciseCache(testApp: TestApp): Promise<void> {
  const { cache } = testApp.app;

  assert.equal(await cache.get('missing'), null);

  await cache.set('greeting', 'hello', 60);
  assert.equal(await cache.get('greeting'), 'hello');

  await cache.del('greeting');
  assert.equal(await cache.get('greeting'), null);

  await cache.set('short-lived', 'soon gone', 1);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  assert.equal(await cache.get('short-lived'), null, 'expired after its TTL');
}

describe('redis plugin without REDIS_URL', () => {
  let testApp: TestApp;

  before(async () => {
    testApp = await buildTestApp({ redisUrl: undefined });
  });
  after(async () => {
    await testApp.close();
  });

  test('memory cache - get, set, del, expiry', async () => {
    assert.equal(testApp.app.redis, null);
    await exerciseCache(testApp);
  });
});

describe(
  'redis plugin with REDIS_URL',
  { skip: !process.env.REDIS_URL },
  () => {
    let testApp: TestApp;

    before(async () => {
      testApp = await buildTestApp({ redisUrl: process.env.REDIS_URL });
    });
    after(async () => {
      await testApp.close();
    });

    test('redis cache - get, set, del, expiry', async () => {
      assert.ok(testApp.app.redis);
      await exerciseCache(testApp);
    });

    test('redis cache - keys carry the prefix', async () => {
      await testApp.app.cache.set('prefixed', 'value', 60);
      const raw = new Redis(process.env.REDIS_URL ?? '');
      try {
        const key = `${testApp.app.config.redisKeyPrefix}cache:prefixed`;
        assert.equal(await raw.get(key), 'value');
        assert.equal(await raw.get('cache:prefixed'), null);
      } finally {
        raw.disconnect();
      }
    });
  },
);
