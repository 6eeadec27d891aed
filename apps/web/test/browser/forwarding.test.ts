// What the storefront sends to the API and passes back to the browser. A
// plain HTTP server replaces the API and records every request, so
// each test can see which headers arrived upstream.
import assert from 'node:assert/strict';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type Server,
} from 'node:http';
import { after, before, test } from 'node:test';

import {
  ensureBuilt,
  freePort,
  startWebServer,
  type WebServer,
} from '../helpers/stack.ts';

interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

const IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'";
const BYPASS_VALUE = 'load-test-token-chosen-by-the-client';

const apiRequests: RecordedRequest[] = [];
let fakeApi: Server;
let web: WebServer;

before(async () => {
  ensureBuilt();
  fakeApi = createServer((request, response) => {
    apiRequests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
    });
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (path.startsWith('/api/images/')) {
      response.writeHead(200, {
        'content-type': 'image/svg+xml; charset=utf-8',
        'content-security-policy': IMAGE_CSP,
      });
      response.end('<svg xmlns="http://www.w3.org/2000/svg"/>');
      return;
    }
    if (path === '/api/categories') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"items":[]}');
      return;
    }
    if (path === '/api/products') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          items: [],
          page: 1,
          limit: 12,
          total: 0,
          totalPages: 0,
        }),
      );
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end('{"error":{"code":"NOT_FOUND","message":"Not found"}}');
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

function assertBaselineHeaders(response: Response, label: string): void {
  assert.equal(
    response.headers.get('x-content-type-options'),
    'nosniff',
    `${label}: x-content-type-options`,
  );
  assert.match(
    response.headers.get('strict-transport-security') ?? '',
    /max-age=/,
    `${label}: strict-transport-security`,
  );
  assert.equal(
    response.headers.get('x-frame-options'),
    'DENY',
    `${label}: x-frame-options`,
  );
  assert.match(
    response.headers.get('content-security-policy') ?? '',
    /frame-ancestors 'none'/,
    `${label}: content-security-policy`,
  );
}

function upstreamRequestsTo(path: string): RecordedRequest[] {
  return apiRequests.filter((request) => request.url.split('?')[0] === path);
}

test('forwarder - image keeps the API CSP and charset', async () => {
  const response = await fetch(`${web.url}/api/images/products/lamp.svg`);
  await response.arrayBuffer();

  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-security-policy'), IMAGE_CSP);
  assert.equal(
    response.headers.get('content-type'),
    'image/svg+xml; charset=utf-8',
  );
});

test('icon.svg - has a charset and a CSP', async () => {
  const response = await fetch(`${web.url}/icon.svg`);
  await response.arrayBuffer();

  assert.equal(response.status, 200);
  assert.equal(
    response.headers.get('content-type'),
    'image/svg+xml; charset=utf-8',
  );
  assert.match(
    response.headers.get('content-security-policy') ?? '',
    /default-src/,
  );
});

test('forwarder - passes X-Load-Test-Bypass on unchanged', async () => {
  apiRequests.length = 0;
  const response = await fetch(`${web.url}/api/products?limit=2`, {
    headers: { 'x-load-test-bypass': BYPASS_VALUE },
  });
  await response.arrayBuffer();

  const [upstream] = upstreamRequestsTo('/api/products');
  assert.equal(response.status, 200);
  assert.equal(upstream?.headers['x-load-test-bypass'], BYPASS_VALUE);
});

test('forwarder - adds no X-Load-Test-Bypass of its own', async () => {
  apiRequests.length = 0;
  const response = await fetch(`${web.url}/api/products?limit=2`);
  await response.arrayBuffer();

  const [upstream] = upstreamRequestsTo('/api/products');
  assert.ok(upstream, 'the request reached the API');
  assert.equal(upstream.headers['x-load-test-bypass'], undefined);
});

test('page API calls - pass X-Load-Test-Bypass on unchanged', async () => {
  apiRequests.length = 0;
  const response = await fetch(`${web.url}/products`, {
    headers: { 'x-load-test-bypass': BYPASS_VALUE },
  });
  await response.text();

  const calls = [
    ...upstreamRequestsTo('/api/products'),
    ...upstreamRequestsTo('/api/categories'),
  ];
  assert.equal(response.status, 200);
  assert.equal(calls.length, 2, 'the page called the API twice');
  for (const call of calls) {
    assert.equal(call.headers['x-load-test-bypass'], BYPASS_VALUE, call.url);
  }
});

test('page API calls - add no X-Load-Test-Bypass of their own', async () => {
  apiRequests.length = 0;
  const response = await fetch(`${web.url}/products`);
  await response.text();

  const calls = upstreamRequestsTo('/api/products');
  assert.equal(calls.length, 1, 'the page called the API');
  assert.equal(calls[0]?.headers['x-load-test-bypass'], undefined);
});

test('forwarder - server-only API paths are 404', async () => {
  apiRequests.length = 0;
  for (const path of [
    '/api/openapi.json',
    '/api/admin/orders',
    '/api/admin/products',
    '/api/auth/me',
    '/api/docs',
  ]) {
    const response = await fetch(`${web.url}${path}`);
    await response.arrayBuffer();
    assert.equal(response.status, 404, path);
    assert.equal(
      response.headers.get('content-type'),
      'application/json; charset=utf-8',
      path,
    );
  }

  assert.deepEqual(
    apiRequests.map((request) => request.url),
    [],
    'nothing reached the API',
  );
});

test('pages - malformed percent-encoding is 400', async () => {
  for (const path of [
    '/products/%ff',
    '/categories/%ff',
    '/api/products/%ff',
    '/checkout/confirmation/%E0%A4%A',
  ]) {
    const response = await fetch(`${web.url}${path}`);
    await response.arrayBuffer();
    assert.equal(response.status, 400, path);
    assertBaselineHeaders(response, path);
  }
});

test('pages - other methods are 405 with Allow', async () => {
  for (const method of ['PUT', 'PATCH', 'DELETE', 'PROPFIND', 'OPTIONS']) {
    const response = await fetch(`${web.url}/products`, {
      method,
      headers: { origin: web.url },
    });
    await response.arrayBuffer();
    assert.equal(response.status, 405, method);
    assert.equal(response.headers.get('allow'), 'GET, HEAD, POST', method);
    assertBaselineHeaders(response, method);
  }
});

/**
 * Sends a request with node:http, because fetch() refuses the methods that
 * the Fetch API forbids, such as TRACE.
 */
function sendRaw(
  method: string,
  path: string,
): Promise<{ response: Response; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      `${web.url}${path}`,
      { method },
      (incoming) => {
        let body = '';
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk: string) => (body += chunk));
        incoming.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (typeof value === 'string') headers.set(name, value);
          }
          resolve({
            response: new Response(null, {
              status: incoming.statusCode ?? 0,
              headers,
            }),
            body,
          });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

test('pages - TRACE is 405', async () => {
  for (const path of ['/', '/products', '/api/products']) {
    const label = `TRACE ${path}`;
    const logLength = web.logs().length;
    const { response, body } = await sendRaw('TRACE', path);

    assert.equal(response.status, 405, label);
    assert.equal(response.headers.get('allow'), 'GET, HEAD, POST', label);
    assert.equal(response.headers.get('cache-control'), 'no-store', label);
    assert.equal(body, 'Method not allowed.', `${label}: body`);
    assertBaselineHeaders(response, label);
    assert.ok(
      !web.logs().slice(logLength).includes('TypeError'),
      `${label}: no stack trace in the log`,
    );
  }
});

test('pages - unparsable method is 400', async () => {
  const { response, body } = await sendRaw('TRACK', '/');

  assert.equal(response.status, 400, 'status');
  assert.equal(body, 'Bad request.', 'body');
  assertBaselineHeaders(response, 'TRACK /');
});
