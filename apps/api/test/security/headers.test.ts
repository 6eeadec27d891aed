import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { LightMyRequestResponse } from 'fastify';

import { startSecurityApp, type SecurityTestApp } from './support.js';

// The exact values of the security baseline, written out here rather than
// imported, so a weakened constant in the source fails this test.
const EXPECTED_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self';script-src 'self';style-src 'self';img-src 'self' https: data:;connect-src 'self';font-src 'self';object-src 'none';frame-src 'none';base-uri 'self';form-action 'self';frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains; preload',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

let testApp: SecurityTestApp;
const responses = new Map<string, LightMyRequestResponse>();

before(async () => {
  testApp = await startSecurityApp({
    plugins: [
      async (app) => {
        app.get('/test/failure', async () => {
          throw new Error('simulated failure');
        });
      },
    ],
  });
  const { app } = testApp;
  const json = { 'content-type': 'application/json' };

  responses.set('200', await app.inject({ method: 'GET', url: '/health' }));
  responses.set(
    '404',
    await app.inject({ method: 'GET', url: '/api/no-such-route' }),
  );
  responses.set(
    '400',
    await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: json,
      payload: '{}',
    }),
  );
  responses.set(
    '400 malformed url',
    await app.inject({ method: 'GET', url: '/api/products/%E0%A4%A' }),
  );
  responses.set(
    '413',
    await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      headers: json,
      payload: JSON.stringify({ name: 'x'.repeat(1_048_576) }),
    }),
  );
  responses.set(
    '415',
    await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'text/plain' },
      payload: 'email=a',
    }),
  );
  responses.set(
    '500',
    await app.inject({ method: 'GET', url: '/test/failure' }),
  );
  responses.set(
    '200 cross-origin',
    await app.inject({
      method: 'GET',
      url: '/api/categories',
      headers: { origin: 'https://attacker.example' },
    }),
  );

  let limited: LightMyRequestResponse | undefined;
  for (
    let attempt = 0;
    attempt < 10 && limited?.statusCode !== 429;
    attempt++
  ) {
    limited = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '203.0.113.9',
      headers: json,
      payload: '{}',
    });
  }
  responses.set('429', limited as LightMyRequestResponse);
});

after(async () => {
  await testApp.close();
});

describe('security headers', () => {
  test('security headers - responses have the expected statuses', () => {
    for (const [label, response] of responses) {
      const status = Number(label.slice(0, 3));
      assert.equal(response.statusCode, status, label);
    }
  });

  for (const [name, value] of Object.entries(EXPECTED_HEADERS)) {
    test(`security headers - ${name} on every status`, () => {
      for (const [label, response] of responses) {
        assert.equal(response.headers[name], value, `${name} on ${label}`);
      }
    });
  }

  test('security headers - no X-Powered-By', () => {
    for (const [label, response] of responses) {
      assert.equal(response.headers['x-powered-by'], undefined, label);
    }
  });

  test('security headers - no Server header', () => {
    for (const [label, response] of responses) {
      assert.equal(response.headers.server, undefined, label);
    }
  });

  test('security headers - no CORS headers', () => {
    for (const [label, response] of responses) {
      const cors = Object.keys(response.headers).filter((name) =>
        name.startsWith('access-control-'),
      );
      assert.deepEqual(cors, [], label);
    }
  });

  test('security headers - CSP has no unsafe-inline', () => {
    assert.doesNotMatch(
      EXPECTED_HEADERS['content-security-policy'] ?? '',
      /unsafe/,
    );
  });

  test('security headers - errors use the standard body', () => {
    for (const [label, response] of responses) {
      if (response.statusCode < 400) {
        continue;
      }

      const body = response.json() as {
        error?: { code?: unknown; requestId?: unknown };
      };
      assert.equal(typeof body.error?.code, 'string', label);
      assert.equal(typeof body.error?.requestId, 'string', label);
    }
  });

  test('security headers - 500 hides the error text', () => {
    const response = responses.get('500') as LightMyRequestResponse;

    assert.doesNotMatch(response.body, /simulated failure/);
  });
});
