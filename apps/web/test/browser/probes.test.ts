// The liveness and readiness routes that the Kubernetes probes call. A
// plain HTTP server replaces the API, so each test can choose how
// the API's /ready behaves.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';

import {
  ensureBuilt,
  freePort,
  startWebServer,
  type WebServer,
} from '../helpers/stack.ts';

type ReadyBehaviour = 'ready' | 'not-ready' | 'hang';

let readyBehaviour: ReadyBehaviour = 'ready';
const apiRequests: string[] = [];
let fakeApi: Server;
let web: WebServer;

const STATIC_HEADERS: Record<string, string> = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains; preload',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

before(async () => {
  ensureBuilt();
  fakeApi = createServer((request, response) => {
    apiRequests.push(`${request.method} ${request.url}`);
    if (request.url !== '/ready') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"error":{"code":"NOT_FOUND","message":"Not found"}}');
      return;
    }
    if (readyBehaviour === 'hang') return; // never answers
    const status = readyBehaviour === 'ready' ? 200 : 503;
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(status === 200 ? '{"status":"ready"}' : '{}');
  });
  const port = await freePort();
  await new Promise<void>((resolve) =>
    fakeApi.listen(port, '127.0.0.1', resolve),
  );
  web = await startWebServer({ apiUrl: `http://127.0.0.1:${port}` });
});

after(async () => {
  await web?.stop();
  fakeApi?.closeAllConnections();
  fakeApi?.close();
});

function assertProbeHeaders(response: Response, label: string): void {
  for (const [name, value] of Object.entries(STATIC_HEADERS)) {
    assert.equal(response.headers.get(name), value, `${label}: ${name}`);
  }
  assert.equal(
    response.headers.get('x-powered-by'),
    null,
    `${label}: x-powered-by`,
  );
  assert.match(
    response.headers.get('cache-control') ?? '',
    /no-store/,
    `${label}: cache-control`,
  );
  assert.match(
    response.headers.get('content-security-policy') ?? '',
    /default-src 'none'/,
    `${label}: content-security-policy`,
  );
  assert.match(
    response.headers.get('content-type') ?? '',
    /^application\/json/,
    `${label}: content-type`,
  );
}

test('probes - /health returns ok with the security headers', async () => {
  const response = await fetch(`${web.url}/health`);
  assert.equal(response.status, 200);
  assertProbeHeaders(response, '/health');
  assert.deepEqual(await response.json(), { status: 'ok' });
});

test('probes - /ready is 200 while the API is ready', async () => {
  readyBehaviour = 'ready';
  apiRequests.length = 0;
  const response = await fetch(`${web.url}/ready`);
  assert.equal(response.status, 200);
  assertProbeHeaders(response, '/ready');
  assert.deepEqual(await response.json(), { status: 'ready' });
  assert.deepEqual(apiRequests, ['GET /ready'], 'asks the API once');
});

test('probes - /ready is 503 when the API is not ready', async () => {
  readyBehaviour = 'not-ready';
  const response = await fetch(`${web.url}/ready`);
  assert.equal(response.status, 503);
  assertProbeHeaders(response, '/ready while the API is not ready');
  const body = (await response.json()) as { error?: Record<string, unknown> };
  assert.equal(body.error?.code, 'SERVICE_UNAVAILABLE');
  assert.match(String(body.error?.message), /status 503/);
});

test('probes - /ready is 503 within 2 s when the API hangs', async () => {
  readyBehaviour = 'hang';
  const started = Date.now();
  const response = await fetch(`${web.url}/ready`);
  const elapsedMs = Date.now() - started;
  assert.equal(response.status, 503);
  assert.ok(elapsedMs < 2_000, `answered after ${elapsedMs} ms`);
  const body = (await response.json()) as { error?: Record<string, unknown> };
  assert.match(String(body.error?.message), /timed out/);
});

test('probes - they skip the session refresh', async () => {
  // Without an access cookie, the proxy would exchange this refresh token
  // through POST /api/auth/refresh on any page.
  readyBehaviour = 'ready';
  apiRequests.length = 0;
  const cookie = '__Host-shop_refresh=some-refresh-token';
  for (const path of ['/health', '/ready']) {
    const response = await fetch(`${web.url}${path}`, {
      headers: { cookie },
    });
    assert.equal(response.status, 200, path);
    assert.equal(
      response.headers.get('set-cookie'),
      null,
      `${path}: set-cookie`,
    );
  }
  assert.deepEqual(apiRequests, ['GET /ready']);
});

test('probes - HTML is never returned', async () => {
  readyBehaviour = 'ready';
  for (const path of ['/health', '/ready']) {
    const response = await fetch(`${web.url}${path}`, {
      headers: { accept: 'text/html' },
    });
    const text = await response.text();
    assert.doesNotMatch(text, /<html|<!DOCTYPE/i, path);
  }
});
