import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';

import { apiRequest } from '../../src/lib/api/client.ts';
import {
  ApiError,
  messageForCode,
  toApiError,
  userMessage,
} from '../../src/lib/api/errors.ts';

test('toApiError - keeps code, message and details of an API error', () => {
  const error = toApiError(400, {
    error: {
      code: 'VALIDATION_FAILED',
      message: 'Invalid body',
      requestId: 'req-1',
      details: [
        { path: 'body.email', message: 'Invalid email' },
        { bogus: true },
      ],
    },
  });
  assert.equal(error.status, 400);
  assert.equal(error.code, 'VALIDATION_FAILED');
  assert.equal(error.message, 'Invalid body');
  assert.equal(error.requestId, 'req-1');
  assert.deepEqual(error.details, [
    { path: 'body.email', message: 'Invalid email' },
  ]);
});

test('toApiError - derives the code from the status for foreign bodies', () => {
  assert.equal(toApiError(404, '<html>nginx</html>').code, 'NOT_FOUND');
  assert.equal(toApiError(502, null).code, 'INTERNAL');
  assert.doesNotMatch(
    toApiError(500, { stack: 'at db.js:1' }).message,
    /db\.js/,
  );
});

test('userMessage - hides unknown and server errors', () => {
  assert.equal(
    userMessage(
      new ApiError(500, 'INTERNAL', 'relation "users" does not exist'),
    ),
    'Something went wrong. Try again.',
  );
  assert.equal(
    userMessage(new Error('ECONNREFUSED 10.0.0.1')),
    'Something went wrong. Try again.',
  );
  assert.equal(
    userMessage(new ApiError(401, 'INVALID_CREDENTIALS', 'x')),
    'The email or password is incorrect.',
  );
});

test('messageForCode - never echoes text from the URL', () => {
  assert.equal(
    messageForCode('Your account is locked, call +1 555'),
    'Something went wrong. Try again.',
  );
  assert.equal(
    messageForCode('OUT_OF_STOCK'),
    'Not enough items are in stock for that quantity.',
  );
  assert.equal(messageForCode(undefined), undefined);
});

test('apiRequest - maps an unreachable API to SERVICE_UNAVAILABLE', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));

  await assert.rejects(
    apiRequest('/api/products', { baseUrl: `http://127.0.0.1:${port}` }),
    (error) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.status, 503);
      assert.equal(error.code, 'SERVICE_UNAVAILABLE');
      return true;
    },
  );
});

test('apiRequest - sends the bearer token, client IP and JSON body', async () => {
  let seen:
    | { headers: Record<string, string | string[] | undefined>; body: string }
    | undefined;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      seen = { headers: request.headers, body };
      response.writeHead(409, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          error: { code: 'CONFLICT', message: 'Duplicate', requestId: 'r' },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  try {
    await assert.rejects(
      apiRequest('/api/x', {
        baseUrl: `http://127.0.0.1:${port}`,
        method: 'POST',
        body: { a: 1 },
        accessToken: 'tok',
        clientIp: '203.0.113.9',
      }),
      (error) =>
        error instanceof ApiError &&
        error.code === 'CONFLICT' &&
        error.status === 409,
    );
  } finally {
    server.close();
  }

  assert.equal(seen?.headers.authorization, 'Bearer tok');
  assert.equal(seen?.headers['x-forwarded-for'], '203.0.113.9');
  assert.equal(seen?.headers['content-type'], 'application/json');
  assert.equal(seen?.body, '{"a":1}');
});
