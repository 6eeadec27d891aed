import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { FastifyInstance } from 'fastify';

import {
  createAccount,
  startSecurityApp,
  type SecurityTestApp,
  type TestAccount,
} from './support.js';

let testApp: SecurityTestApp;
let app: FastifyInstance;
let account: TestAccount;

before(async () => {
  testApp = await startSecurityApp({ env: { BCRYPT_COST: '4' } });
  app = testApp.app;
  account = await createAccount(app);
});

after(async () => {
  await testApp.close();
});

describe('cache control', () => {
  test('cache control - public catalog is cacheable', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/products' });

    assert.equal(response.headers['cache-control'], 'public, max-age=60');
  });

  test('cache control - catalog with a token is no-store', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/products',
      headers: { authorization: `Bearer ${account.accessToken}` },
    });

    assert.equal(response.headers['cache-control'], 'no-store');
  });

  test('cache control - catalog with a cookie is no-store', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/categories',
      headers: { cookie: 'session=abc' },
    });

    assert.equal(response.headers['cache-control'], 'no-store');
  });

  test('cache control - own profile is no-store', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${account.accessToken}` },
    });

    assert.equal(response.headers['cache-control'], 'no-store');
  });

  test('cache control - token response is no-store', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '192.0.2.200',
      payload: { email: account.email, password: account.password },
    });

    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['cache-control'], 'no-store');
  });

  test('cache control - errors are no-store', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/products/no-such-product',
    });

    assert.equal(response.statusCode, 404);
    assert.equal(response.headers['cache-control'], 'no-store');
  });

  test('cache control - no policy means no-store', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });

    assert.equal(response.headers['cache-control'], 'no-store');
  });
});
