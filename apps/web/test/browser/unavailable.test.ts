// Signed-in pages when the API fails. A plain HTTP server replaces the
// API, so each test chooses whether it is down (503), rate-limiting (429)
// or unreachable (connection closed without a response).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';

import {
  ensureBuilt,
  freePort,
  startWebServer,
  type WebServer,
} from '../helpers/stack.ts';

type ApiBehaviour = 'down' | 'busy' | 'unreachable';

let apiBehaviour: ApiBehaviour = 'down';
let fakeApi: Server;
let web: WebServer;

// Any access cookie makes the storefront ask the API who is signed in.
const SESSION_COOKIE = '__Host-shop_access=any-token';

const SIGNED_IN_PAGES = [
  '/cart',
  '/checkout',
  '/account',
  '/account/orders',
  '/account/orders/1001',
  '/checkout/confirmation/1001',
  '/signin',
  '/admin',
  '/admin/products',
  '/admin/categories',
  '/admin/orders',
];

const OUTAGE_MESSAGE = 'The shop is temporarily unavailable.';
const BUSY_MESSAGE = 'The shop is busy right now.';

before(async () => {
  ensureBuilt();
  fakeApi = createServer((request, response) => {
    if (apiBehaviour === 'unreachable') {
      request.socket.destroy();
      return;
    }
    const busy = apiBehaviour === 'busy';
    const headers: Record<string, string> = {
      'content-type': 'application/json',
    };
    if (busy) headers['retry-after'] = '60';
    response.writeHead(busy ? 429 : 503, headers);
    response.end(
      JSON.stringify({
        error: busy
          ? { code: 'RATE_LIMITED', message: 'Too many requests' }
          : { code: 'SERVICE_UNAVAILABLE', message: 'Database is down' },
      }),
    );
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

async function fetchPage(path: string): Promise<Response> {
  return fetch(`${web.url}${path}`, {
    headers: { cookie: SESSION_COOKIE },
    redirect: 'manual',
  });
}

async function assertErrorState(
  path: string,
  expectedMessage: string,
): Promise<void> {
  const response = await fetchPage(path);
  const body = await response.text();

  assert.equal(response.status, 200, `${path}: status`);
  assert.equal(
    response.headers.get('cache-control'),
    'no-store',
    `${path}: cache-control`,
  );
  assert.ok(body.includes(expectedMessage), `${path}: message in the HTML`);
  assert.ok(body.includes('site-header'), `${path}: normal layout`);
  assert.ok(!body.includes('Database is down'), `${path}: API message hidden`);
  assert.ok(!/\bat .+:\d+:\d+/.test(body), `${path}: no stack trace`);
  assert.ok(!body.includes('ApiError'), `${path}: no error class name`);
}

test('signed-in pages - API returns 503', async () => {
  apiBehaviour = 'down';
  for (const path of SIGNED_IN_PAGES) {
    await assertErrorState(path, OUTAGE_MESSAGE);
  }
});

test('signed-in pages - API returns 429', async () => {
  apiBehaviour = 'busy';
  for (const path of SIGNED_IN_PAGES) {
    await assertErrorState(path, BUSY_MESSAGE);
  }
});

test('signed-in pages - API unreachable', async () => {
  apiBehaviour = 'unreachable';
  for (const path of SIGNED_IN_PAGES) {
    await assertErrorState(path, OUTAGE_MESSAGE);
  }
});

test('admin error state - hides the admin title', async () => {
  apiBehaviour = 'down';
  const body = await (await fetchPage('/admin/products')).text();

  assert.ok(body.includes('Page unavailable'), 'neutral heading');
  assert.ok(!body.includes('admin-nav'), 'admin navigation hidden');
});
