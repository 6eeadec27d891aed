import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { pino } from 'pino';
import { z } from 'zod';

import { AppError } from '../../src/errors.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';

// Log lines written by the app, parsed from pino's JSON output.
const logLines: Record<string, unknown>[] = [];
const logStream = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() !== '')
        logLines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  },
});

const SECRET_TEXT = 'SELECT password_hash FROM users WHERE id = 42';

// Routes that exist only in this test, to reach each branch of the handler.
async function testRoutes(app: FastifyInstance): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.post(
    '/test/validate',
    {
      schema: {
        querystring: z.strictObject({
          page: z.coerce.number().int().min(1).optional(),
        }),
        body: z.strictObject({ quantity: z.number().int().min(1).max(99) }),
      },
    },
    async () => ({ ok: true }),
  );
  routes.get('/test/crash', async () => {
    throw new Error(SECRET_TEXT);
  });
  routes.get('/test/app-error', async () => {
    throw new AppError('RATE_LIMITED', undefined, {
      headers: { 'retry-after': '60' },
    });
  });
  routes.get(
    '/test/bad-response',
    { schema: { response: { 200: z.object({ count: z.number() }) } } },
    async () => ({ count: 'not a number' }) as unknown as { count: number },
  );
  routes.get('/test/duplicate', async () => {
    const data = { email: 'dup@example.test', name: 'Dup', passwordHash: 'x' };
    await app.prisma.user.create({ data });
    await app.prisma.user.create({ data });
    return { ok: true };
  });
}

function assertErrorShape(
  response: { json(): unknown; headers: Record<string, unknown> },
  code: string,
): { code: string; message: string; requestId: string; details?: unknown[] } {
  const body = response.json() as {
    error: { code: string; message: string; requestId: string };
  };

  assert.deepEqual(Object.keys(body), ['error']);
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  assert.equal(body.error.requestId, response.headers['x-request-id']);
  return body.error;
}

describe('error handler', () => {
  let testApp: TestApp;

  before(async () => {
    testApp = await buildTestApp(
      { logLevel: 'info' },
      { plugins: [testRoutes], logger: pino({ level: 'info' }, logStream) },
    );
  });
  after(async () => {
    await testApp.close();
  });

  test('error handler - unknown route is 404', async () => {
    const response = await testApp.app.inject({
      method: 'GET',
      url: '/api/no-such-route',
    });

    assert.equal(response.statusCode, 404);
    assertErrorShape(response, 'NOT_FOUND');
  });

  test('error handler - malformed JSON is 400', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/test/validate',
      headers: { 'content-type': 'application/json' },
      payload: '{"quantity": 1',
    });

    assert.equal(response.statusCode, 400);
    const error = assertErrorShape(response, 'VALIDATION_FAILED');
    assert.doesNotMatch(error.message, /Unexpected|position|JSON at/);
  });

  test('error handler - query fields named', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/test/validate?page=0',
      payload: { quantity: 1 },
    });

    assert.equal(response.statusCode, 400);
    const error = assertErrorShape(response, 'VALIDATION_FAILED');
    const paths = (error.details as { path: string }[]).map(
      (detail) => detail.path,
    );
    assert.deepEqual(paths, ['query.page']);
  });

  test('error handler - body fields and unknown keys named', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/test/validate',
      payload: { quantity: 100, price: 1 },
    });

    const error = assertErrorShape(response, 'VALIDATION_FAILED');
    const paths = (error.details as { path: string }[])
      .map((detail) => detail.path)
      .sort();
    assert.deepEqual(paths, ['body.price', 'body.quantity']);
  });

  test('error handler - unsupported media type is 415', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/test/validate',
      headers: { 'content-type': 'application/xml' },
      payload: '<quantity>1</quantity>',
    });

    assert.equal(response.statusCode, 415);
    assertErrorShape(response, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('error handler - oversized body is 413', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/test/validate',
      headers: { 'content-type': 'application/json' },
      payload: `{"quantity": 1, "padding": "${'x'.repeat(1_100_000)}"}`,
    });

    assert.equal(response.statusCode, 413);
    assertErrorShape(response, 'PAYLOAD_TOO_LARGE');
  });

  test('error handler - app error keeps its headers', async () => {
    const response = await testApp.app.inject({
      method: 'GET',
      url: '/test/app-error',
    });

    assert.equal(response.statusCode, 429);
    assert.equal(response.headers['retry-after'], '60');
    assertErrorShape(response, 'RATE_LIMITED');
  });

  test('error handler - unique violation is 409', async () => {
    const response = await testApp.app.inject({
      method: 'GET',
      url: '/test/duplicate',
    });

    assert.equal(response.statusCode, 409);
    const error = assertErrorShape(response, 'CONFLICT');
    assert.doesNotMatch(error.message, /Unique constraint|P2002|email/);
  });

  test('error handler - 500 hides the error text', async () => {
    const response = await testApp.app.inject({
      method: 'GET',
      url: '/test/crash',
    });

    assert.equal(response.statusCode, 500);
    const error = assertErrorShape(response, 'INTERNAL');
    assert.doesNotMatch(response.body, /SELECT|password_hash/);
    assert.doesNotMatch(response.body, /at .*\.ts:\d+/);
    assert.equal(
      error.message,
      'An unexpected error occurred. Quote the request id if you report it.',
    );
  });

  test('error handler - 500 is logged with request id', async () => {
    const response = await testApp.app.inject({
      method: 'GET',
      url: '/test/crash',
    });
    const requestId = response.headers['x-request-id'];

    const logged = logLines.find(
      (line) => line.reqId === requestId && line.level === 50,
    ) as { err?: { message?: string } } | undefined;
    assert.ok(logged, 'an error line with the request id');
    assert.equal(logged.err?.message, SECRET_TEXT);
  });

  test('error handler - response schema mismatch is 500', async () => {
    const response = await testApp.app.inject({
      method: 'GET',
      url: '/test/bad-response',
    });

    assert.equal(response.statusCode, 500);
    assertErrorShape(response, 'INTERNAL');
    assert.doesNotMatch(response.body, /not a number|expected number/);
  });

  test('error handler - request ids are unique UUIDs', async () => {
    const first = await testApp.app.inject({ method: 'GET', url: '/health' });
    const second = await testApp.app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'forged-id' },
    });

    assert.match(String(first.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    assert.notEqual(second.headers['x-request-id'], 'forged-id');
    assert.notEqual(
      first.headers['x-request-id'],
      second.headers['x-request-id'],
    );
  });
});
