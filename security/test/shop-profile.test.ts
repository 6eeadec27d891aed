import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shopProfile } from '../lib/shop-profile.mjs';

// The fields of a started stack that the profile reads; no server runs.
const STACK = {
  apiUrl: 'http://127.0.0.1:8110',
  webUrl: 'http://127.0.0.1:8130',
  databaseName: 'scan_unit',
  bypassHeaders: { 'x-load-test-bypass': 'unit-token' },
  catalog: {
    productId: '11111111-1111-4111-8111-111111111111',
    productSlug: 'lamp',
    categorySlug: 'lighting',
  },
  customer: {
    email: 'scan@shop.test',
    accessToken: 'access',
    orderNumber: 'SO-0000001',
  },
  admin: { accessToken: 'admin-access' },
  sessionCookie: '__Host-shop_access=access',
};

const targets = shopProfile(STACK, { root: '/', log: () => {} }).sqlmap.targets;

test('shopProfile - storefront sqlmap targets run light', () => {
  const storefront = targets.filter((target) =>
    target.url.startsWith(STACK.webUrl),
  );
  assert.ok(storefront.length > 0);
  for (const target of storefront)
    assert.equal(target.light, true, target.name);
});

test('shopProfile - API sqlmap targets run deep', () => {
  const api = targets.filter((target) => target.url.startsWith(STACK.apiUrl));
  assert.ok(api.length > 0);
  for (const target of api) assert.equal(target.light, undefined, target.name);
});

test('shopProfile - every sqlmap target sends the bypass header', () => {
  for (const target of targets)
    assert.equal(
      target.headers['x-load-test-bypass'],
      'unit-token',
      target.name,
    );
});
