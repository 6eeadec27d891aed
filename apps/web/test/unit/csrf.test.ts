import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  expectedOriginFor,
  isSameOriginRequest,
} from '../../src/lib/security/csrf.ts';

const origin = 'https://shop.example';

test('isSameOriginRequest - lets safe methods through', () => {
  assert.equal(
    isSameOriginRequest({
      method: 'GET',
      origin: 'https://evil.example',
      secFetchSite: 'cross-site',
      expectedOrigin: origin,
    }),
    true,
  );
});

test('isSameOriginRequest - accepts a same-origin POST', () => {
  assert.equal(
    isSameOriginRequest({
      method: 'POST',
      origin,
      secFetchSite: 'same-origin',
      expectedOrigin: origin,
    }),
    true,
  );
  assert.equal(
    isSameOriginRequest({
      method: 'POST',
      origin,
      secFetchSite: null,
      expectedOrigin: origin,
    }),
    true,
  );
});

test('isSameOriginRequest - rejects a foreign Origin', () => {
  assert.equal(
    isSameOriginRequest({
      method: 'POST',
      origin: 'https://evil.example',
      secFetchSite: null,
      expectedOrigin: origin,
    }),
    false,
  );
  assert.equal(
    isSameOriginRequest({
      method: 'DELETE',
      origin: 'http://shop.example',
      secFetchSite: null,
      expectedOrigin: origin,
    }),
    false,
  );
});

test('isSameOriginRequest - rejects cross-site and same-site fetch metadata', () => {
  for (const site of ['cross-site', 'same-site', 'none']) {
    assert.equal(
      isSameOriginRequest({
        method: 'POST',
        origin,
        secFetchSite: site,
        expectedOrigin: origin,
      }),
      false,
      `Sec-Fetch-Site ${site} must be rejected`,
    );
  }
});

test('isSameOriginRequest - rejects null and missing Origin', () => {
  assert.equal(
    isSameOriginRequest({
      method: 'POST',
      origin: 'null',
      secFetchSite: null,
      expectedOrigin: origin,
    }),
    false,
  );
  assert.equal(
    isSameOriginRequest({
      method: 'POST',
      origin: null,
      secFetchSite: null,
      expectedOrigin: origin,
    }),
    false,
  );
});

test('expectedOriginFor - prefers the configured origin', () => {
  assert.equal(
    expectedOriginFor('https://shop.example/', 'evil.example', 'http:'),
    origin,
  );
  assert.equal(
    expectedOriginFor(undefined, '127.0.0.1:3100', 'http:'),
    'http://127.0.0.1:3100',
  );
});
