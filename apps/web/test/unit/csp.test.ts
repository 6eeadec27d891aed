import assert from 'node:assert/strict';
import { test } from 'node:test';

import { buildCsp, createNonce } from '../../src/lib/security/csp.ts';

function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values.join(' ')];
    }),
  );
}

test('buildCsp - production policy allows only nonce scripts', () => {
  const policy = directives(buildCsp({ nonce: 'abc123', development: false }));
  assert.equal(
    policy.get('script-src'),
    "'self' 'nonce-abc123' 'strict-dynamic'",
  );
  assert.equal(policy.get('style-src'), "'self'");
  assert.equal(policy.get('object-src'), "'none'");
  assert.equal(policy.get('base-uri'), "'self'");
  assert.equal(policy.get('form-action'), "'self'");
  assert.equal(policy.get('frame-ancestors'), "'none'");
  assert.equal(policy.get('connect-src'), "'self'");
  assert.equal(policy.get('default-src'), "'self'");
  assert.equal(policy.get('img-src'), "'self' data: https:");
  assert.equal(policy.get('font-src'), "'self'");
  assert.equal(policy.get('frame-src'), "'none'");
});

test('buildCsp - production policy has no unsafe keywords', () => {
  const csp = buildCsp({ nonce: 'abc123', development: false });
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.doesNotMatch(csp, /unsafe-eval/);
});

test('buildCsp - development policy relaxes only for next dev', () => {
  const policy = directives(buildCsp({ nonce: 'n', development: true }));
  assert.match(policy.get('script-src') ?? '', /'unsafe-eval'/);
  assert.match(policy.get('style-src') ?? '', /'unsafe-inline'/);
});

test('createNonce - returns 128 random bits in base64', () => {
  const first = createNonce();
  const second = createNonce();
  assert.equal(Buffer.from(first, 'base64').length, 16);
  assert.notEqual(first, second);
});
