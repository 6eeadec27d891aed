import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkAntiClickjacking,
  checkContentType,
  checkCookies,
  checkCors,
  checkCrossOriginIsolation,
  checkCspDirectives,
  checkCspPresent,
  checkErrorDisclosure,
  checkHsts,
  checkNosniff,
  checkPermissionsPolicy,
  checkPersonalCaching,
  checkPoweredBy,
  checkPrivateIp,
  checkResponse,
  checkServerBanner,
  checkTimestamps,
} from '../lib/passive-checks.mjs';

const GOOD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

// A response with every header of the security baseline. Each test changes
// one thing and expects exactly the matching rule to fire.
function hardened(
  overrides: Record<string, string[] | undefined> = {},
  extra: Record<string, unknown> = {},
) {
  const headers: Record<string, string[]> = {
    'content-type': ['text/html; charset=utf-8'],
    'content-security-policy': [GOOD_CSP],
    'strict-transport-security': [
      'max-age=31536000; includeSubDomains; preload',
    ],
    'x-content-type-options': ['nosniff'],
    'x-frame-options': ['DENY'],
    'permissions-policy': [
      'camera=(), microphone=(), geolocation=(), payment=()',
    ],
    'cross-origin-opener-policy': ['same-origin'],
    'cross-origin-resource-policy': ['same-origin'],
    'cross-origin-embedder-policy': ['require-corp'],
    'cache-control': ['no-store'],
  };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return {
    url: 'http://127.0.0.1:8100/page',
    method: 'GET',
    status: 200,
    headers,
    body: '<p>ok</p>',
    personal: false,
    ...extra,
  };
}

const rules = (findings: { rule: string }[]) =>
  findings.map((item) => item.rule);

test('checkResponse - hardened response has no findings', () => {
  assert.deepEqual(checkResponse(hardened()), []);
});

test('checkCspPresent - missing CSP on HTML', () => {
  assert.deepEqual(
    rules(checkCspPresent(hardened({ 'content-security-policy': undefined }))),
    ['csp-missing'],
  );
});

test('checkCspPresent - missing CSP on API JSON', () => {
  const response = hardened(
    {
      'content-security-policy': undefined,
      'content-type': ['application/json; charset=utf-8'],
    },
    { url: 'http://127.0.0.1:8100/api/products' },
  );
  assert.deepEqual(rules(checkCspPresent(response)), ['csp-missing']);
});

test('checkCspPresent - script bundle needs no CSP', () => {
  const response = hardened(
    {
      'content-security-policy': undefined,
      'content-type': ['application/javascript; charset=utf-8'],
    },
    { url: 'http://127.0.0.1:8100/_next/static/app.js' },
  );
  assert.deepEqual(checkCspPresent(response), []);
});

test('checkCspDirectives - wildcard source', () => {
  const findings = checkCspDirectives(
    hardened({
      'content-security-policy': [
        GOOD_CSP.replace('connect-src', 'x').concat('; connect-src *'),
      ],
    }),
  );
  assert.ok(
    findings.some((item) => item.title.includes('connect-src allows any host')),
  );
});

test('checkCspDirectives - unsafe-inline script', () => {
  const findings = checkCspDirectives(
    hardened({
      'content-security-policy': [
        GOOD_CSP.replace(
          "script-src 'self'",
          "script-src 'self' 'unsafe-inline'",
        ),
      ],
    }),
  );
  assert.ok(
    findings.some((item) =>
      item.title.includes("script-src allows 'unsafe-inline'"),
    ),
  );
});

test('checkCspDirectives - unsafe-eval', () => {
  const findings = checkCspDirectives(
    hardened({
      'content-security-policy': [
        GOOD_CSP.replace(
          "script-src 'self'",
          "script-src 'self' 'unsafe-eval'",
        ),
      ],
    }),
  );
  assert.ok(findings.some((item) => item.title.includes("'unsafe-eval'")));
});

test('checkCspDirectives - scheme source in script-src', () => {
  const findings = checkCspDirectives(
    hardened({
      'content-security-policy': [
        GOOD_CSP.replace("script-src 'self'", 'script-src https:'),
      ],
    }),
  );
  assert.ok(
    findings.some((item) =>
      item.title.includes('script-src allows every host of scheme https:'),
    ),
  );
});

test('checkCspDirectives - scheme source allowed in img-src', () => {
  assert.deepEqual(checkCspDirectives(hardened()), []);
});

test('checkCspDirectives - missing frame-ancestors', () => {
  const findings = checkCspDirectives(
    hardened({
      'content-security-policy': [
        GOOD_CSP.replace("; frame-ancestors 'none'", ''),
      ],
    }),
  );
  assert.ok(findings.some((item) => item.title.includes('frame-ancestors')));
});

test('checkCspDirectives - no script restriction at all', () => {
  const findings = checkCspDirectives(
    hardened({
      'content-security-policy': [
        "frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
      ],
    }),
  );
  assert.ok(
    findings.some((item) =>
      item.title.includes('neither default-src nor script-src'),
    ),
  );
});

test('checkHsts - missing header', () => {
  assert.deepEqual(
    rules(checkHsts(hardened({ 'strict-transport-security': undefined }))),
    ['hsts-invalid'],
  );
});

test('checkHsts - header sent twice', () => {
  const value = 'max-age=31536000; includeSubDomains';
  const findings = checkHsts(
    hardened({ 'strict-transport-security': [value, value] }),
  );
  assert.match(findings[0]?.title ?? '', /more than once/);
});

test('checkHsts - max-age shorter than a year', () => {
  const findings = checkHsts(
    hardened({
      'strict-transport-security': ['max-age=86400; includeSubDomains'],
    }),
  );
  assert.match(findings[0]?.title ?? '', /max-age below/);
});

test('checkHsts - without includeSubDomains', () => {
  const findings = checkHsts(
    hardened({ 'strict-transport-security': ['max-age=31536000'] }),
  );
  assert.match(findings[0]?.title ?? '', /includeSubDomains/);
});

test('checkAntiClickjacking - neither XFO nor frame-ancestors', () => {
  const response = hardened({
    'x-frame-options': undefined,
    'content-security-policy': [
      GOOD_CSP.replace("; frame-ancestors 'none'", ''),
    ],
  });
  assert.deepEqual(rules(checkAntiClickjacking(response)), [
    'clickjacking-unprotected',
  ]);
});

test('checkAntiClickjacking - frame-ancestors alone suffices', () => {
  assert.deepEqual(
    checkAntiClickjacking(hardened({ 'x-frame-options': undefined })),
    [],
  );
});

test('checkAntiClickjacking - XFO alone suffices', () => {
  const response = hardened({
    'content-security-policy': [
      GOOD_CSP.replace("; frame-ancestors 'none'", ''),
    ],
  });
  assert.deepEqual(checkAntiClickjacking(response), []);
});

test('checkAntiClickjacking - frame-ancestors wildcard', () => {
  const response = hardened({
    'content-security-policy': [
      GOOD_CSP.replace("frame-ancestors 'none'", 'frame-ancestors *'),
    ],
  });
  assert.deepEqual(rules(checkAntiClickjacking(response)), [
    'clickjacking-unprotected',
  ]);
});

test('checkNosniff - missing header', () => {
  assert.deepEqual(
    rules(checkNosniff(hardened({ 'x-content-type-options': undefined }))),
    ['nosniff-missing'],
  );
});

test('checkPoweredBy - header present', () => {
  assert.deepEqual(
    rules(checkPoweredBy(hardened({ 'x-powered-by': ['Next.js'] }))),
    ['x-powered-by'],
  );
});

test('checkServerBanner - version in Server', () => {
  assert.deepEqual(
    rules(checkServerBanner(hardened({ server: ['nginx/1.25.3'] }))),
    ['server-version'],
  );
});

test('checkServerBanner - Server without version', () => {
  assert.deepEqual(checkServerBanner(hardened({ server: ['nginx'] })), []);
});

const SESSION_COOKIE =
  '__Host-session=abc; Path=/; HttpOnly; Secure; SameSite=Lax';

test('checkCookies - hardened cookie passes', () => {
  assert.deepEqual(
    checkCookies(hardened({ 'set-cookie': [SESSION_COOKIE] })),
    [],
  );
});

test('checkCookies - missing HttpOnly', () => {
  assert.deepEqual(
    rules(
      checkCookies(
        hardened({ 'set-cookie': [SESSION_COOKIE.replace('; HttpOnly', '')] }),
      ),
    ),
    ['cookie-no-httponly'],
  );
});

test('checkCookies - missing Secure', () => {
  assert.deepEqual(
    rules(
      checkCookies(
        hardened({ 'set-cookie': [SESSION_COOKIE.replace('; Secure', '')] }),
      ),
    ),
    ['cookie-no-secure'],
  );
});

test('checkCookies - SameSite=None', () => {
  assert.deepEqual(
    rules(
      checkCookies(
        hardened({
          'set-cookie': [
            SESSION_COOKIE.replace('SameSite=Lax', 'SameSite=None'),
          ],
        }),
      ),
    ),
    ['cookie-no-samesite'],
  );
});

test('checkCookies - Domain attribute', () => {
  const cookie =
    'session=abc; Domain=shop.test; Path=/; HttpOnly; Secure; SameSite=Lax';
  assert.deepEqual(rules(checkCookies(hardened({ 'set-cookie': [cookie] }))), [
    'cookie-loose-scope',
  ]);
});

test('checkCookies - __Host- prefix without Path=/', () => {
  const cookie = SESSION_COOKIE.replace('Path=/', 'Path=/account');
  assert.deepEqual(rules(checkCookies(hardened({ 'set-cookie': [cookie] }))), [
    'cookie-loose-scope',
  ]);
});

test('checkCookies - deletion is ignored', () => {
  assert.deepEqual(
    checkCookies(hardened({ 'set-cookie': ['session=; Path=/; Max-Age=0'] })),
    [],
  );
});

test('checkPersonalCaching - personal page without no-store', () => {
  const response = hardened(
    { 'cache-control': ['private, max-age=60'] },
    { personal: true },
  );
  assert.deepEqual(rules(checkPersonalCaching(response)), [
    'personal-cacheable',
  ]);
});

test('checkPersonalCaching - cookie-setting response without Cache-Control', () => {
  const response = hardened({
    'cache-control': undefined,
    'set-cookie': [SESSION_COOKIE],
  });
  assert.deepEqual(rules(checkPersonalCaching(response)), [
    'personal-cacheable',
  ]);
});

test('checkPersonalCaching - public page may be cached', () => {
  assert.deepEqual(
    checkPersonalCaching(hardened({ 'cache-control': ['public, max-age=60'] })),
    [],
  );
});

test('checkTimestamps - Unix time in JSON', () => {
  const now = Date.UTC(2026, 0, 1);
  const response = hardened(
    { 'content-type': ['application/json; charset=utf-8'] },
    { body: `{"updated":${Math.floor(now / 1000) - 60}}` },
  );
  assert.deepEqual(rules(checkTimestamps(response, { now })), [
    'timestamp-disclosure',
  ]);
});

test('checkTimestamps - ten-digit number far from now', () => {
  const response = hardened({}, { body: '<p>Order 9999999999</p>' });
  assert.deepEqual(
    checkTimestamps(response, { now: Date.UTC(2026, 0, 1) }),
    [],
  );
});

test('checkPrivateIp - RFC 1918 address in body', () => {
  assert.deepEqual(
    rules(
      checkPrivateIp(
        hardened({}, { body: '<p>upstream 10.12.0.7 failed</p>' }),
      ),
    ),
    ['private-ip-disclosure'],
  );
});

test('checkPrivateIp - version number is not an address', () => {
  assert.deepEqual(
    checkPrivateIp(hardened({}, { body: '<p>v1.10.0.7.2</p>' })),
    [],
  );
});

test('checkErrorDisclosure - Node stack trace', () => {
  const body =
    '{"error":"boom\\n    at handler (/srv/app/dist/routes.js:10:5)"}'.replace(
      '\\n',
      '\n',
    );
  const response = hardened(
    { 'content-type': ['application/json; charset=utf-8'] },
    { body },
  );
  assert.deepEqual(rules(checkErrorDisclosure(response)), ['error-disclosure']);
});

test('checkErrorDisclosure - PostgreSQL syntax error', () => {
  const response = hardened(
    {},
    { body: '<pre>syntax error at or near "ORDER"</pre>' },
  );
  assert.deepEqual(rules(checkErrorDisclosure(response)), ['error-disclosure']);
});

test('checkErrorDisclosure - Prisma error', () => {
  const response = hardened(
    {},
    { body: '<pre>Invalid `prisma.product.findMany()` invocation</pre>' },
  );
  assert.deepEqual(rules(checkErrorDisclosure(response)), ['error-disclosure']);
});

test('checkCors - wildcard origin', () => {
  assert.deepEqual(
    rules(checkCors(hardened({ 'access-control-allow-origin': ['*'] }))),
    ['cors-wildcard'],
  );
});

test('checkCors - reflected origin with credentials', () => {
  const origin = 'https://cross-site.scan.invalid';
  const response = hardened(
    {
      'access-control-allow-origin': [origin],
      'access-control-allow-credentials': ['true'],
    },
    { probeOrigin: origin },
  );
  assert.deepEqual(rules(checkCors(response)), ['cors-reflected-origin']);
});

test('checkCors - exact allow-list entry', () => {
  const response = hardened(
    { 'access-control-allow-origin': ['https://shop.test'] },
    { probeOrigin: 'https://cross-site.scan.invalid' },
  );
  assert.deepEqual(checkCors(response), []);
});

test('checkPermissionsPolicy - missing header', () => {
  assert.deepEqual(
    rules(
      checkPermissionsPolicy(hardened({ 'permissions-policy': undefined })),
    ),
    ['permissions-policy-invalid'],
  );
});

test('checkPermissionsPolicy - camera allowed', () => {
  const findings = checkPermissionsPolicy(
    hardened({
      'permissions-policy': ['microphone=(), geolocation=(), payment=()'],
    }),
  );
  assert.match(findings[0]?.title ?? '', /camera/);
});

test('checkCrossOriginIsolation - missing CORP', () => {
  assert.deepEqual(
    rules(
      checkCrossOriginIsolation(
        hardened({ 'cross-origin-resource-policy': undefined }),
      ),
    ),
    ['site-isolation-missing'],
  );
});

test('checkCrossOriginIsolation - missing COOP on HTML', () => {
  assert.deepEqual(
    rules(
      checkCrossOriginIsolation(
        hardened({ 'cross-origin-opener-policy': undefined }),
      ),
    ),
    ['site-isolation-missing'],
  );
});

test('checkCrossOriginIsolation - missing COEP is low', () => {
  const findings = checkCrossOriginIsolation(
    hardened({ 'cross-origin-embedder-policy': undefined }),
  );
  assert.deepEqual(
    findings.map((item) => [item.rule, item.severity]),
    [['coep-missing', 'low']],
  );
});

test('checkContentType - text without charset', () => {
  assert.deepEqual(
    rules(checkContentType(hardened({ 'content-type': ['text/html'] }))),
    ['charset-missing'],
  );
});

test('checkContentType - SVG without charset', () => {
  assert.deepEqual(
    rules(checkContentType(hardened({ 'content-type': ['image/svg+xml'] }))),
    ['charset-missing'],
  );
});

test('checkContentType - image needs no charset', () => {
  assert.deepEqual(
    checkContentType(hardened({ 'content-type': ['image/png'] })),
    [],
  );
});

test('checkContentType - body without Content-Type', () => {
  assert.deepEqual(
    rules(checkContentType(hardened({ 'content-type': undefined }))),
    ['content-type-missing'],
  );
});

test('checkResponse - findings carry ZAP rule ids', () => {
  const findings = checkResponse(
    hardened({ 'x-content-type-options': undefined }),
  );
  assert.equal(findings[0]?.zapRuleId, 10021);
});
