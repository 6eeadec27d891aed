import assert from 'node:assert/strict';
import { test } from 'node:test';

import { safeRedirectPath } from '../../src/lib/security/redirect.ts';

test('safeRedirectPath - keeps local paths with query and hash', () => {
  assert.equal(safeRedirectPath('/cart'), '/cart');
  assert.equal(
    safeRedirectPath('/products?page=2&sort=price_asc'),
    '/products?page=2&sort=price_asc',
  );
  assert.equal(
    safeRedirectPath('/account/orders#latest'),
    '/account/orders#latest',
  );
});

test('safeRedirectPath - sends foreign targets to the home page', () => {
  const attacks = [
    '//evil.example',
    '//evil.example/path',
    'https:evil.example',
    'https://evil.example',
    'http://evil.example/cart',
    '/\\evil.example',
    '\\\\evil.example',
    '/\tevil.example',
    '/\n/evil.example',
    'javascript:alert(1)',
    'evil.example',
    '',
  ];
  for (const attack of attacks) {
    assert.equal(
      safeRedirectPath(attack),
      '/',
      `expected "/" for ${JSON.stringify(attack)}`,
    );
  }
});

test('safeRedirectPath - treats missing and oversized values as home', () => {
  assert.equal(safeRedirectPath(undefined), '/');
  assert.equal(safeRedirectPath(null), '/');
  assert.equal(safeRedirectPath(`/${'a'.repeat(3000)}`), '/');
});

test('safeRedirectPath - resolves dot segments before checking', () => {
  const attacks = [
    '/.//evil.example',
    '/..//evil.example',
    '/%2e%2e//evil.example',
    '/%2E%2E//evil.example',
    '/%2e//evil.example',
    '/././/evil.example',
    '/a/..//evil.example',
    '/a/../..//evil.example/cart?x=1',
  ];
  for (const attack of attacks) {
    assert.equal(
      safeRedirectPath(attack),
      '/',
      `expected "/" for ${JSON.stringify(attack)}`,
    );
  }
});

test('safeRedirectPath - keeps local paths with dot segments', () => {
  assert.equal(safeRedirectPath('/products/../cart'), '/cart');
  assert.equal(safeRedirectPath('/./account'), '/account');
});
