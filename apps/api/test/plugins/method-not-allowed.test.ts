import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { buildTestApp, bypassHeaders, type TestApp } from '../helpers/app.js';

let testApp: TestApp;

before(async () => {
  testApp = await buildTestApp();
});

after(async () => {
  await testApp.close();
});

test('wrong method - 405 with the Allow header', async () => {
  const response = await testApp.app.inject({
    method: 'PUT',
    url: '/api/products?page=1',
    headers: bypassHeaders(testApp.app),
  });

  assert.equal(response.statusCode, 405);
  assert.equal(response.headers.allow, 'GET, HEAD');
  const body = response.json<{ error: { code: string; requestId: string } }>();
  assert.equal(body.error.code, 'METHOD_NOT_ALLOWED');
  assert.equal(body.error.requestId, response.headers['x-request-id']);
  assert.equal(response.headers['cache-control'], 'no-store');
  assert.equal(response.headers['x-content-type-options'], 'nosniff');
});

test('wrong method - path parameters match too', async () => {
  const response = await testApp.app.inject({
    method: 'POST',
    url: '/api/products/some-slug',
    headers: bypassHeaders(testApp.app),
  });

  assert.equal(response.statusCode, 405);
  assert.equal(response.headers.allow, 'GET, HEAD');
});

test('wrong method - lists every method of a path', async () => {
  const response = await testApp.app.inject({
    method: 'DELETE',
    url: '/api/auth/login',
    headers: bypassHeaders(testApp.app),
  });

  assert.equal(response.statusCode, 405);
  assert.equal(response.headers.allow, 'POST');
});

test('wrong method - unknown path stays 404', async () => {
  const response = await testApp.app.inject({
    method: 'PUT',
    url: '/api/no-such-path',
    headers: bypassHeaders(testApp.app),
  });

  assert.equal(response.statusCode, 404);
  assert.equal(response.headers.allow, undefined);
  assert.equal(
    response.json<{ error: { code: string } }>().error.code,
    'NOT_FOUND',
  );
});
