import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { verifyCsrfFindings } from '../lib/csrf-verification.mjs';

// /guarded rejects posts without a same-origin Origin, like the storefront;
// /open accepts every post.
const server = http.createServer((request, response) => {
  request.resume();
  const sameOrigin =
    request.headers.origin === 'http://127.0.0.1' &&
    request.headers['sec-fetch-site'] !== 'cross-site';
  response.statusCode = request.url === '/guarded' && !sameOrigin ? 403 : 200;
  response.end();
});
let baseUrl = '';

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function csrfFinding(path: string) {
  return {
    scanner: 'wapiti',
    rule: 'Cross Site Request Forgery',
    severity: 'medium',
    title: 'Lack of anti CSRF token',
    url: `${baseUrl}${path}`,
  };
}

test('verifyCsrfFindings - rejected forgeries become info', async () => {
  const [finding] = await verifyCsrfFindings([csrfFinding('/guarded')]);
  assert.equal(finding?.severity, 'info');
  assert.match(finding?.evidence ?? '', /cross-site Origin: 403/);
});

test('verifyCsrfFindings - accepted forgery stays medium', async () => {
  const [finding] = await verifyCsrfFindings([csrfFinding('/open')]);
  assert.equal(finding?.severity, 'medium');
});

test('verifyCsrfFindings - other findings pass unchanged', async () => {
  const other = {
    scanner: 'wapiti',
    rule: 'Cross Site Scripting',
    severity: 'high',
    title: 'XSS',
    url: `${baseUrl}/open`,
  };
  assert.deepEqual(await verifyCsrfFindings([other]), [other]);
});
