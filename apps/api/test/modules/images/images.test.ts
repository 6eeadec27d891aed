import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { productImagesDir } from '../../../src/modules/images/routes.js';
import { buildTestApp, type TestApp } from '../../helpers/app.js';

let testApp: TestApp;
let knownFile: string;

before(async () => {
  testApp = await buildTestApp();
  const files = (await readdir(productImagesDir)).filter((name) =>
    name.endsWith('.svg'),
  );
  assert.ok(files[0], 'at least one product image is shipped');
  knownFile = files[0];
});

after(async () => {
  await testApp?.close();
});

test('product image - served as SVG', async () => {
  const expected = await readFile(join(productImagesDir, knownFile));

  const response = await testApp.app.inject({
    method: 'GET',
    url: `/api/images/products/${knownFile}`,
  });

  assert.equal(response.statusCode, 200);
  assert.equal(
    response.headers['content-type'],
    'image/svg+xml; charset=utf-8',
  );
  assert.deepEqual(response.rawPayload, expected);
  assert.match(
    String(response.headers['cache-control']),
    /public, max-age=\d{6,}/,
  );
  const policy = String(response.headers['content-security-policy']);
  assert.match(policy, /^default-src 'none'/);
  assert.match(policy, /frame-ancestors 'none'/);
  assert.match(policy, /base-uri 'none'/);
  assert.match(policy, /form-action 'none'/);
  assert.match(policy, /\bsandbox\b/);
  assert.equal(response.headers['x-content-type-options'], 'nosniff');
});

test('product image - etag revalidation returns 304', async () => {
  const first = await testApp.app.inject({
    method: 'GET',
    url: `/api/images/products/${knownFile}`,
  });
  const etag = String(first.headers.etag);

  const second = await testApp.app.inject({
    method: 'GET',
    url: `/api/images/products/${knownFile}`,
    headers: { 'if-none-match': etag },
  });

  assert.equal(second.statusCode, 304);
  assert.equal(second.payload, '');
});

test('product image - shipped SVGs contain no script or style', async () => {
  for (const name of await readdir(productImagesDir)) {
    const svg = await readFile(join(productImagesDir, name), 'utf8');
    assert.doesNotMatch(svg, /<script|<style|style=|on[a-z]+=|href=/i, name);
  }
});

test('product image - unknown file is 404', async () => {
  const response = await testApp.app.inject({
    method: 'GET',
    url: '/api/images/products/no-such-product.svg',
  });

  assert.equal(response.statusCode, 404);
  assert.equal(response.json().error.code, 'NOT_FOUND');
});

test('product image - traversal attempts are rejected', async () => {
  const attempts = [
    '..%2f..%2fpackage.json',
    '..%2F..%2Fsrc%2Fconfig.ts',
    '%2e%2e%2f%2e%2e%2fpackage.json',
    '..%5c..%5cpackage.json',
    '....%2f%2fpackage.json',
    `${'%2e%2e%2f'.repeat(8)}etc%2fpasswd`,
    'x.svg%00.txt',
    '.hidden.svg',
    'image.SVG',
    'image.svg.js',
  ];

  for (const attempt of attempts) {
    const response = await testApp.app.inject({
      method: 'GET',
      url: `/api/images/products/${attempt}`,
    });

    assert.ok(
      response.statusCode === 400 || response.statusCode === 404,
      `${attempt}: status ${response.statusCode}`,
    );
    assert.doesNotMatch(response.payload, /"name":|root:|import /, attempt);
  }
});

test('product image - dot segments do not leave the route', async () => {
  const response = await testApp.app.inject({
    method: 'GET',
    url: '/api/images/products/../../../package.json',
  });

  assert.equal(response.statusCode, 404);
  assert.doesNotMatch(response.payload, /"dependencies"/);
});
