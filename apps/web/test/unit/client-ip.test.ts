import assert from 'node:assert/strict';
import { test } from 'node:test';

import { resolveClientIp } from '../../src/lib/security/client-ip.ts';

test('resolveClientIp - ignores X-Forwarded-For without trusted proxies', () => {
  assert.equal(resolveClientIp('203.0.113.7', 0, null), null);
  assert.equal(
    resolveClientIp('203.0.113.7', 0, '::ffff:10.0.0.2'),
    '10.0.0.2',
  );
});

test('resolveClientIp - takes the entry added by the trusted proxy', () => {
  assert.equal(resolveClientIp('1.1.1.1, 203.0.113.7', 1, null), '203.0.113.7');
  assert.equal(
    resolveClientIp('1.1.1.1, 203.0.113.7, 10.0.0.1', 2, null),
    '203.0.113.7',
  );
});

test('resolveClientIp - rejects garbage and short chains', () => {
  assert.equal(resolveClientIp('not-an-ip', 1, null), null);
  assert.equal(resolveClientIp('203.0.113.7', 2, null), null);
  assert.equal(resolveClientIp(null, 1, null), null);
});
