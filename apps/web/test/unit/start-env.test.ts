// The environments that `npm start` gives the API and the storefront.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { serviceEnvironments } from '../../../../scripts/lib/supervise.mjs';

test('npm start - API trusts the storefront hop', () => {
  const { api } = serviceEnvironments({});

  assert.equal(api.TRUST_PROXY_HOPS, '1');
});

test('npm start - explicit TRUST_PROXY_HOPS is kept', () => {
  const { api } = serviceEnvironments({ TRUST_PROXY_HOPS: '2' });

  assert.equal(api.TRUST_PROXY_HOPS, '2');
});

test('npm start - storefront origin defaults to its address', () => {
  assert.equal(serviceEnvironments({}).web.WEB_ORIGIN, 'http://127.0.0.1:3000');
  assert.equal(
    serviceEnvironments({ WEB_HOST: '192.0.2.7', WEB_PORT: '3310' }).web
      .WEB_ORIGIN,
    'http://192.0.2.7:3310',
  );
  assert.equal(
    serviceEnvironments({ WEB_HOST: '::1', WEB_PORT: '3310' }).web.WEB_ORIGIN,
    'http://[::1]:3310',
  );
});

test('npm start - explicit WEB_ORIGIN is kept', () => {
  const { web } = serviceEnvironments({ WEB_ORIGIN: 'https://shop.example' });

  assert.equal(web.WEB_ORIGIN, 'https://shop.example');
});

test('npm start - storefront runs the production build', () => {
  const { api, web } = serviceEnvironments({ PORT: '4100' });

  assert.equal(web.NODE_ENV, 'production');
  assert.equal(web.API_URL, 'http://127.0.0.1:4100');
  assert.equal(api.NODE_ENV, 'development');
});
