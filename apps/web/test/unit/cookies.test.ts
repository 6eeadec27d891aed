import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  ACCESS_COOKIE,
  REFRESH_COOKIE,
  accessCookieMaxAge,
  sessionCookieOptions,
} from '../../src/lib/session/cookies.ts';

test('session cookies - names carry the __Host- prefix', () => {
  assert.match(ACCESS_COOKIE, /^__Host-/);
  assert.match(REFRESH_COOKIE, /^__Host-/);
});

test('sessionCookieOptions - sets HttpOnly, Secure, Lax and root path', () => {
  const options = sessionCookieOptions(60);
  assert.equal(options.httpOnly, true);
  assert.equal(options.secure, true);
  assert.equal(options.sameSite, 'lax');
  assert.equal(options.path, '/');
  assert.equal(options.maxAge, 60);
  assert.equal('domain' in options, false);
});

test('accessCookieMaxAge - expires before the token does', () => {
  assert.equal(accessCookieMaxAge(900), 870);
  assert.equal(accessCookieMaxAge(10), 1);
});
