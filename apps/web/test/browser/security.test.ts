import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';

import type { Cookie, Response as BrowserResponse } from 'playwright-core';

import {
  launchBrowser,
  openSession,
  uniqueClientIp,
  type LaunchedBrowser,
} from '../helpers/browser.ts';
import {
  freePort,
  startStack,
  startWebServer,
  type Stack,
} from '../helpers/stack.ts';

let stack: Stack;
let launched: LaunchedBrowser;
let customerCookies: Cookie[] = [];
let productPath = '';
let categoryPath = '';

before(async () => {
  stack = await startStack();
  launched = await launchBrowser();

  const home = await fetch(`${stack.webUrl}/`, {
    headers: { 'x-forwarded-for': uniqueClientIp() },
  });
  const html = await home.text();
  productPath = /href="(\/products\/[^"?]+)"/.exec(html)?.[1] ?? '';
  categoryPath = /href="(\/categories\/[^"?]+)"/.exec(html)?.[1] ?? '';
});

after(async () => {
  await launched?.close();
  await stack?.stop();
});

function cookieHeader(cookies: Cookie[]): string {
  return cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}

async function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${stack.webUrl}${path}`, {
    redirect: 'manual',
    headers: { 'x-forwarded-for': uniqueClientIp(), ...headers },
  });
}

async function post(
  path: string,
  init: { headers?: Record<string, string>; body?: string } = {},
) {
  return fetch(`${stack.webUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'x-forwarded-for': uniqueClientIp(), ...init.headers },
    body: init.body ?? '',
  });
}

const EXPECTED_HEADERS: Record<string, string> = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains; preload',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

function assertSecurityHeaders(response: Response, label: string): void {
  for (const [name, value] of Object.entries(EXPECTED_HEADERS)) {
    assert.equal(response.headers.get(name), value, `${label}: ${name}`);
  }
  assert.equal(
    response.headers.get('x-powered-by'),
    null,
    `${label}: x-powered-by`,
  );

  const csp = response.headers.get('content-security-policy') ?? '';
  assert.match(
    csp,
    /script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/,
    `${label}: script-src`,
  );
  assert.match(csp, /style-src 'self'(;|$)/, `${label}: style-src`);
  assert.match(csp, /object-src 'none'/, `${label}: object-src`);
  assert.match(csp, /frame-ancestors 'none'/, `${label}: frame-ancestors`);
  assert.match(csp, /base-uri 'self'/, `${label}: base-uri`);
  assert.match(csp, /form-action 'self'/, `${label}: form-action`);
  assert.doesNotMatch(
    csp,
    /unsafe-inline|unsafe-eval/,
    `${label}: no unsafe keywords`,
  );
  assert.match(
    response.headers.get('cache-control') ?? '',
    /no-store/,
    `${label}: cache-control`,
  );
}

test('headers - every page type carries the security headers', async () => {
  assert.ok(productPath, 'the home page links a product');
  assert.ok(categoryPath, 'the home page links a category');
  const pages = [
    '/',
    '/products?sort=price_asc',
    productPath,
    categoryPath,
    '/search?q=a',
    '/signin',
    '/register',
    '/does-not-exist',
    '/products/no-such-product',
    '/cart',
    '/admin',
  ];

  for (const path of pages) {
    const response = await get(path);
    assertSecurityHeaders(response, path);
  }
});

test('headers - nonce differs per response and matches the scripts', async () => {
  const first = await get('/');
  const second = await get('/');
  const nonce = /'nonce-([^']+)'/.exec(
    first.headers.get('content-security-policy') ?? '',
  )?.[1];
  const other = /'nonce-([^']+)'/.exec(
    second.headers.get('content-security-policy') ?? '',
  )?.[1];
  assert.ok(nonce);
  assert.notEqual(nonce, other);

  const html = await first.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  assert.ok(scripts.length > 0);
  for (const tag of scripts)
    assert.ok(
      tag.includes(`nonce="${nonce}"`),
      `script without the nonce: ${tag}`,
    );
  assert.doesNotMatch(
    html,
    /\sstyle="/,
    'no inline style attribute, because style-src has no unsafe-inline',
  );
});

test('headers - 404 and error responses keep them', async () => {
  const missing = await get('/products/definitely-missing-product');
  assert.equal(missing.status, 404);
  assertSecurityHeaders(missing, '404 product');

  const api = await get('/api/no-such-route');
  assert.equal(api.status, 404);
  for (const [name, value] of Object.entries(EXPECTED_HEADERS)) {
    assert.equal(api.headers.get(name), value, `api 404: ${name}`);
  }
});

test('cookies - session cookies are __Host-, HttpOnly, Secure and Lax', async () => {
  const session = await openSession(launched.browser);
  const page = await session.newPage();
  const setCookies: string[] = [];
  const pending: Promise<void>[] = [];
  const recordCookies = (response: BrowserResponse): void => {
    pending.push(
      response.headerValue('set-cookie').then((header) => {
        if (header) setCookies.push(...header.split('\n'));
      }),
    );
  };
  page.on('response', recordCookies);

  await page.goto(`${stack.webUrl}/signin`);
  await page.getByLabel('Email').fill(stack.customer.email);
  await page.getByLabel('Password').fill(stack.customer.password);
  await Promise.all([
    page.waitForURL(`${stack.webUrl}/`),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);

  // Stop listening before waiting, so no header read starts after the
  // wait and fails once the page has closed.
  page.off('response', recordCookies);
  await Promise.all(pending);
  const sessionCookies = setCookies.filter((line) =>
    line.startsWith('__Host-'),
  );
  assert.equal(
    sessionCookies.length,
    2,
    `expected two session cookies, got ${setCookies.join(' | ')}`,
  );
  for (const line of sessionCookies) {
    assert.match(line, /;\s*HttpOnly/i, line);
    assert.match(line, /;\s*Secure/i, line);
    assert.match(line, /;\s*SameSite=Lax/i, line);
    assert.match(line, /;\s*Path=\/(;|$)/i, line);
    assert.doesNotMatch(line, /;\s*Domain=/i, line);
  }

  assert.equal(
    await page.evaluate(() => document.cookie),
    '',
    'no cookie is readable from JavaScript',
  );
  assert.equal(
    await page.evaluate(() => window.localStorage.length),
    0,
    'nothing is stored in localStorage',
  );
  assert.doesNotMatch(page.url(), /token/i);

  customerCookies = await session.context.cookies();
  await session.close();
});

test('cookies - personal pages are never cached', async () => {
  assert.ok(customerCookies.length > 0, 'the cookie test signed in first');
  for (const path of ['/cart', '/account', '/account/orders', '/checkout']) {
    const response = await get(path, { cookie: cookieHeader(customerCookies) });
    assert.equal(
      response.status,
      200,
      `${path} loads for the signed-in customer`,
    );
    assert.match(response.headers.get('cache-control') ?? '', /no-store/, path);
  }
});

test('csrf - cross-site form posts are rejected with 403', async () => {
  const bodies: [string, string][] = [
    ['text/plain', '{"productId":"x","quantity":1}'],
    ['application/x-www-form-urlencoded', 'productId=x&quantity=1'],
    ['multipart/form-data; boundary=x', '--x--'],
  ];

  for (const [contentType, body] of bodies) {
    for (const path of ['/', '/cart', '/signin', '/api/cart/items']) {
      const response = await post(path, {
        headers: {
          origin: 'https://evil.example',
          'content-type': contentType,
          cookie: cookieHeader(customerCookies),
        },
        body,
      });
      assert.equal(response.status, 403, `${contentType} to ${path}`);
    }
  }
});

test('csrf - cross-site fetch metadata and missing Origin are rejected', async () => {
  const crossSite = await post('/api/cart/items', {
    headers: {
      'sec-fetch-site': 'cross-site',
      origin: stack.webUrl,
      'content-type': 'application/json',
    },
    body: '{}',
  });
  assert.equal(crossSite.status, 403);

  const noOrigin = await post('/api/cart/items', {
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  assert.equal(noOrigin.status, 403);

  const nullOrigin = await post('/', {
    headers: { origin: 'null', 'content-type': 'text/plain' },
  });
  assert.equal(nullOrigin.status, 403);
});

test('csrf - same-origin requests pass the check', async () => {
  const response = await post('/api/cart/items', {
    headers: {
      origin: stack.webUrl,
      'sec-fetch-site': 'same-origin',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ productId: 'x', quantity: 1 }),
  });
  assert.notEqual(response.status, 403);
  assert.equal(
    response.status,
    401,
    'the API, not the CSRF check, answers an anonymous cart call',
  );
});

test('redirect - next only accepts local paths', async () => {
  assert.ok(customerCookies.length > 0, 'the cookie test signed in first');
  const cases: [string, string][] = [
    ['//evil.example', '/'],
    ['https:evil.example', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['/account/orders', '/account/orders'],
  ];

  for (const [next, expected] of cases) {
    const response = await get(`/signin?next=${encodeURIComponent(next)}`, {
      cookie: cookieHeader(customerCookies),
    });
    assert.ok(
      [303, 307, 308].includes(response.status),
      `next=${next} redirects, got ${response.status}`,
    );
    const location = new URL(
      response.headers.get('location') ?? '',
      stack.webUrl,
    );
    assert.equal(
      location.origin,
      stack.webUrl,
      `next=${next} stays on the storefront`,
    );
    assert.equal(location.pathname, expected, `next=${next}`);
  }
});

test('redirect - sign in with a hostile next lands on the home page', async () => {
  const session = await openSession(launched.browser);
  const page = await session.newPage();
  await page.goto(
    `${stack.webUrl}/signin?next=${encodeURIComponent('/\\evil.example')}`,
  );
  await page.getByLabel('Email').fill(stack.customer.email);
  await page.getByLabel('Password').fill(stack.customer.password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/signin'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  assert.equal(page.url(), `${stack.webUrl}/`);
  await session.close();
});

test('proxy bypass - x-middleware-subrequest unlocks nothing', async () => {
  const values = [
    'middleware',
    'src/middleware',
    'proxy',
    'src/proxy',
    'src/proxy:src/proxy:src/proxy:src/proxy:src/proxy',
    'middleware:middleware:middleware:middleware:middleware',
  ];

  for (const value of values) {
    const header = { 'x-middleware-subrequest': value };

    const anonymousAdmin = await get('/admin', header);
    assert.equal(anonymousAdmin.status, 404, `anonymous /admin with ${value}`);

    const customerAdmin = await get('/admin/products', {
      ...header,
      cookie: cookieHeader(customerCookies),
    });
    assert.equal(
      customerAdmin.status,
      404,
      `customer /admin/products with ${value}`,
    );

    const cart = await get('/cart', header);
    assert.ok(
      [303, 307].includes(cart.status),
      `anonymous /cart with ${value} redirects to sign in`,
    );
    assert.match(cart.headers.get('location') ?? '', /\/signin/);

    const crossSite = await post('/api/cart/items', {
      headers: {
        ...header,
        origin: 'https://evil.example',
        'content-type': 'text/plain',
        cookie: cookieHeader(customerCookies),
      },
      body: '{}',
    });
    assert.equal(crossSite.status, 403, `cross-site POST with ${value}`);

    const page = await get('/', header);
    assert.match(
      page.headers.get('content-security-policy') ?? '',
      /nonce-/,
      `CSP still set with ${value}`,
    );
  }
});

test('proxy bypass - other internal headers unlock nothing', async () => {
  const internalHeaders: Record<string, string>[] = [
    { 'x-middleware-rewrite': '/admin' },
    { 'x-middleware-next': '1' },
    { 'x-middleware-override-headers': 'cookie' },
    { 'x-matched-path': '/admin' },
    { 'x-invoke-path': '/admin' },
    { 'x-nextjs-data': '1' },
    { 'x-nonce': 'chosen-by-client' },
    { 'x-forwarded-host': 'evil.example' },
  ];

  for (const header of internalHeaders) {
    const label = JSON.stringify(header);

    const admin = await get('/admin', header);
    assert.equal(admin.status, 404, `anonymous /admin with ${label}`);

    const cart = await get('/cart', header);
    assert.equal(cart.status, 307, `anonymous /cart with ${label}`);

    const page = await get('/', header);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.doesNotMatch(csp, /chosen-by-client/, `nonce with ${label}`);

    const crossSite = await post('/api/cart/items', {
      headers: {
        ...header,
        origin: 'https://evil.example',
        'content-type': 'text/plain',
      },
      body: '{}',
    });
    assert.equal(crossSite.status, 403, `cross-site POST with ${label}`);
  }
});

test('api forwarding - product images come through the storefront', async () => {
  const html = await (await get(productPath)).text();
  const image = /src="(\/api\/images\/[^"]+)"/.exec(html)?.[1];
  assert.ok(image, 'the product page shows an image from /api/images');

  const response = await get(image);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^image\//);
  for (const [name, value] of Object.entries(EXPECTED_HEADERS)) {
    assert.equal(response.headers.get(name), value, `image: ${name}`);
  }
});

test('api forwarding - tokens are never forwarded to the browser', async () => {
  const login = await post('/api/auth/login', {
    headers: { origin: stack.webUrl, 'content-type': 'application/json' },
    body: JSON.stringify({
      email: stack.customer.email,
      password: stack.customer.password,
    }),
  });
  assert.equal(login.status, 404);
  assert.doesNotMatch(await login.text(), /accessToken|refreshToken/);
});

test('session - an expired access token is refreshed on the server', async () => {
  const session = await openSession(launched.browser);
  const page = await session.newPage();
  await page.goto(`${stack.webUrl}/signin`);
  await page.getByLabel('Email').fill(stack.customer.email);
  await page.getByLabel('Password').fill(stack.customer.password);
  await Promise.all([
    page.waitForURL(`${stack.webUrl}/`),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);

  const refreshOf = (cookies: Cookie[]) =>
    cookies.find((cookie) => cookie.name === '__Host-shop_refresh')?.value;
  const firstRefresh = refreshOf(await session.context.cookies());
  await session.context.clearCookies({ name: '__Host-shop_access' });

  const response = await page.goto(`${stack.webUrl}/account`);
  assert.equal(response?.status(), 200);
  assert.equal(
    new URL(page.url()).pathname,
    '/account',
    'still signed in after the refresh',
  );
  const rotated = await session.context.cookies();
  assert.ok(
    rotated.some((cookie) => cookie.name === '__Host-shop_access'),
    'a new access cookie is set',
  );
  assert.notEqual(
    refreshOf(rotated),
    firstRefresh,
    'the refresh token was rotated',
  );

  // Sign-out revokes the refresh token in the API, so replaying it fails.
  const lastRefresh = refreshOf(rotated) ?? '';
  await Promise.all([
    page.waitForURL(`${stack.webUrl}/`),
    page.getByRole('button', { name: 'Sign out' }).click(),
  ]);
  assert.deepEqual(
    await session.context.cookies(),
    [],
    'sign-out clears both cookies',
  );
  await session.close();

  const replay = await get('/account', {
    cookie: `__Host-shop_refresh=${lastRefresh}`,
  });
  assert.equal(replay.status, 307);
  assert.match(replay.headers.get('location') ?? '', /\/signin/);
});

test('errors - an API outage shows a friendly page', async () => {
  const deadPort = await freePort();
  const web = await startWebServer({ apiUrl: `http://127.0.0.1:${deadPort}` });
  try {
    for (const path of [
      '/',
      '/products',
      '/products/any-product',
      '/search?q=lamp',
    ]) {
      const response = await fetch(`${web.url}${path}`);
      const html = await response.text();
      assert.match(
        html,
        /temporarily unavailable/,
        `${path} explains the outage`,
      );
      assert.doesNotMatch(
        html,
        /ECONNREFUSED|fetch failed|\bat [\w.]+ \(/,
        `${path} leaks no error detail`,
      );
      assertSecurityHeaders(response, `${path} during an outage`);
    }
  } finally {
    await web.stop();
  }
});

test('client ip - a client cannot choose its X-Forwarded-For', async () => {
  // A plain HTTP server in place of the API records the header it gets.
  const received: (string | undefined)[] = [];
  const recorder = createServer((request, response) => {
    const header = request.headers['x-forwarded-for'];
    received.push(Array.isArray(header) ? header.join(',') : header);
    response.writeHead(503, { 'content-type': 'application/json' });
    response.end('{}');
  });
  const port = await freePort();
  await new Promise<void>((resolve) =>
    recorder.listen(port, '127.0.0.1', resolve),
  );

  try {
    const direct = await startWebServer({
      apiUrl: `http://127.0.0.1:${port}`,
      trustProxyHops: 0,
    });
    try {
      await fetch(`${direct.url}/api/products`, {
        headers: { 'x-forwarded-for': '203.0.113.66' },
      });
    } finally {
      await direct.stop();
    }
    assert.deepEqual(
      received,
      ['127.0.0.1'],
      'without proxies the socket address is sent',
    );

    received.length = 0;
    const proxied = await startWebServer({
      apiUrl: `http://127.0.0.1:${port}`,
      trustProxyHops: 1,
    });
    try {
      await fetch(`${proxied.url}/api/products`, {
        headers: { 'x-forwarded-for': '203.0.113.66, 198.51.100.7' },
      });
    } finally {
      await proxied.stop();
    }
    assert.deepEqual(
      received,
      ['198.51.100.7'],
      'one trusted proxy: its entry only',
    );
  } finally {
    recorder.close();
  }
});
