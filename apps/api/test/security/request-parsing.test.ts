import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { deflateSync, gzipSync } from 'node:zlib';

import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { z } from 'zod';

import { startSecurityApp, type SecurityTestApp } from './support.js';

const BYPASS_TOKEN = randomBytes(32).toString('base64url');
const ONE_MIB = 1_048_576;

let testApp: SecurityTestApp;
let app: FastifyInstance;
let echoCalls = 0;

before(async () => {
  testApp = await startSecurityApp({
    env: { RATE_LIMIT_BYPASS_TOKEN: BYPASS_TOKEN },
    plugins: [
      async (instance) => {
        // Counts the requests that reach a handler. A route without a body
        // schema rejects every body, so this one accepts any JSON value.
        instance.post(
          '/test/echo',
          { schema: { body: z.unknown() } },
          async (request) => {
            echoCalls += 1;
            return { type: typeof request.body };
          },
        );
      },
    ],
  });
  app = testApp.app;
});

after(async () => {
  await testApp.close();
});

function send(
  url: string,
  headers: Record<string, string>,
  payload: string | Buffer,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    headers: { 'x-load-test-bypass': BYPASS_TOKEN, ...headers },
    payload,
  });
}

describe('content type', () => {
  const rejected = [
    'Application/JSON',
    'APPLICATION/JSON',
    'application/json\t;charset=utf-8',
    'application/json ; charset=utf-8',
    'application/json;  charset=utf-8',
    'application/json; charset=latin1',
    'application/jsonx',
    'application/json, text/plain',
    'text/plain',
    'text/plain; charset=utf-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
  ];

  for (const contentType of rejected) {
    test(`content type - ${JSON.stringify(contentType)} is 415`, async () => {
      const calls = echoCalls;
      const response = await send(
        '/test/echo',
        { 'content-type': contentType },
        '{"a":1}',
      );

      assert.equal(response.statusCode, 415);
      assert.equal(response.json().error.code, 'UNSUPPORTED_MEDIA_TYPE');
      assert.equal(echoCalls, calls, 'handler not called');
    });
  }

  test('content type - missing header with a body is 415', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'x-load-test-bypass': BYPASS_TOKEN },
      payload: Buffer.from('{"a":1}'),
    });

    assert.equal(response.statusCode, 415);
  });

  for (const contentType of [
    'application/json',
    'application/json; charset=utf-8',
  ]) {
    test(`content type - ${JSON.stringify(contentType)} is parsed`, async () => {
      const response = await send(
        '/test/echo',
        { 'content-type': contentType },
        '{"a":1}',
      );

      assert.equal(response.statusCode, 200);
      assert.equal(response.json().type, 'object');
    });
  }

  test('content type - text/plain never reaches login', async () => {
    const response = await send(
      '/api/auth/login',
      { 'content-type': 'text/plain' },
      '{"email":"a@example.com","password":"whatever-password"}',
    );

    assert.equal(response.statusCode, 415);
  });
});

describe('prototype pollution', () => {
  const bodies = {
    '__proto__ at the top': '{"__proto__":{"role":"admin"}}',
    'nested __proto__': '{"profile":{"__proto__":{"role":"admin"}}}',
    'constructor.prototype': '{"constructor":{"prototype":{"role":"admin"}}}',
  };

  for (const [label, body] of Object.entries(bodies)) {
    test(`prototype pollution - ${label} is 400`, async () => {
      const calls = echoCalls;
      const response = await send(
        '/test/echo',
        { 'content-type': 'application/json' },
        body,
      );

      assert.equal(response.statusCode, 400);
      assert.equal(response.json().error.code, 'VALIDATION_FAILED');
      assert.equal(echoCalls, calls, 'handler not called');
    });
  }

  test('prototype pollution - Object.prototype stays clean', () => {
    assert.equal(({} as Record<string, unknown>).role, undefined);
  });

  test('prototype pollution - invalid JSON is 400', async () => {
    const response = await send(
      '/test/echo',
      { 'content-type': 'application/json' },
      '{"a":',
    );

    assert.equal(response.statusCode, 400);
  });
});

describe('body size', () => {
  test('body size - one byte over 1 MiB is 413', async () => {
    const payload = `{"a":"${'x'.repeat(ONE_MIB - 7)}"}`;
    const response = await send(
      '/test/echo',
      { 'content-type': 'application/json' },
      payload,
    );

    assert.equal(Buffer.byteLength(payload), ONE_MIB + 1);
    assert.equal(response.statusCode, 413);
    assert.equal(response.json().error.code, 'PAYLOAD_TOO_LARGE');
  });

  test('body size - exactly 1 MiB is accepted', async () => {
    const payload = `{"a":"${'x'.repeat(ONE_MIB - 8)}"}`;
    const response = await send(
      '/test/echo',
      { 'content-type': 'application/json' },
      payload,
    );

    assert.equal(Buffer.byteLength(payload), ONE_MIB);
    assert.equal(response.statusCode, 200);
  });
});

describe('compressed bodies', () => {
  // 50 MB of JSON whitespace compresses to about 50 KB.
  const inflated = Buffer.alloc(50 * ONE_MIB, ' ');
  const encodings = {
    gzip: gzipSync(inflated, { level: 9 }),
    deflate: deflateSync(inflated, { level: 9 }),
  };

  for (const [encoding, payload] of Object.entries(encodings)) {
    test(`compressed bodies - ${encoding} bomb is 415`, async () => {
      const calls = echoCalls;
      const response = await send(
        '/test/echo',
        { 'content-type': 'application/json', 'content-encoding': encoding },
        payload,
      );

      assert.ok(payload.length < 100_000, `${payload.length} bytes compressed`);
      assert.equal(response.statusCode, 415);
      assert.equal(echoCalls, calls, 'handler not called');
    });
  }

  test('compressed bodies - memory stays flat', async () => {
    global.gc?.();
    const before = process.memoryUsage().rss;

    for (let round = 0; round < 5; round++) {
      await send(
        '/test/echo',
        { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        encodings.gzip,
      );
    }
    const grownMiB = (process.memoryUsage().rss - before) / ONE_MIB;

    assert.ok(
      grownMiB < 20,
      `resident memory grew by ${grownMiB.toFixed(1)} MiB`,
    );
  });
});

describe('query strings', () => {
  const queries = {
    'repeated scalar': '/api/products?category=a&category=b',
    'bracketed filter object': '/api/products?category[not]=',
    'dotted filter object': '/api/products?category.not=',
    'repeated page': '/api/products?page=1&page=2',
    'search filter object': '/api/search?q[contains]=a',
    'featured as a number': '/api/products?featured=1',
  };

  for (const [label, url] of Object.entries(queries)) {
    test(`query strings - ${label} is 400`, async () => {
      const response = await app.inject({
        method: 'GET',
        url,
        headers: { 'x-load-test-bypass': BYPASS_TOKEN },
      });

      assert.equal(response.statusCode, 400);
      assert.equal(response.json().error.code, 'VALIDATION_FAILED');
    });
  }

  test('query strings - details name the parameter', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/products?category=a&category=b',
      headers: { 'x-load-test-bypass': BYPASS_TOKEN },
    });

    assert.equal(response.json().error.details?.[0]?.path, 'query.category');
  });
});
