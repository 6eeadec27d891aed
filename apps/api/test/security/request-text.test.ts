import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

import type {
  PrismaClient,
  Product,
} from '../../src/generated/prisma/client.js';
import { buildTestApp } from '../helpers/app.js';
import { createProduct } from '../helpers/catalog.js';
import {
  createShopper,
  newIdempotencyKey,
  putInCart,
  send,
  type Shopper,
  validCheckoutBody,
} from '../modules/orders/helpers.js';

// An unpaired low surrogate, as the JSON escape \udc00 produces it.
const LONE_SURROGATE = '\udc00';

let app: FastifyInstance;
let prisma: PrismaClient;
let close: () => Promise<void>;
let customer: Shopper;
let admin: Shopper;
let product: Product;

before(async () => {
  ({ app, prisma, close } = await buildTestApp());
  customer = await createShopper(app);
  admin = await createShopper(app, 'admin');
  product = await createProduct(prisma, { name: 'Desk lamp' });
});

after(async () => {
  await close();
});

function detailPaths(response: LightMyRequestResponse): string[] {
  const body = response.json<{ error: { details?: { path: string }[] } }>();
  return (body.error.details ?? []).map((detail) => detail.path);
}

describe('request text in JSON bodies', () => {
  test('request text - lone surrogate in checkout address is 400', async () => {
    await putInCart(prisma, customer.id, product.id, 1);
    const body = {
      ...validCheckoutBody,
      shippingAddress: {
        ...validCheckoutBody.shippingAddress,
        fullName: `Ada ${LONE_SURROGATE}`,
      },
    };

    const response = await send(app, customer, {
      method: 'POST',
      url: '/api/orders',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': newIdempotencyKey(),
      },
      // JSON.stringify writes the lone surrogate as the escape \udc00.
      payload: JSON.stringify(body),
    });

    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error.code, 'VALIDATION_FAILED');
    assert.deepEqual(detailPaths(response), ['body.shippingAddress.fullName']);
    assert.equal(await prisma.order.count(), 0, 'no order created');
  });

  test('request text - lone surrogate in product name is 400', async () => {
    const response = await send(app, admin, {
      method: 'PATCH',
      url: `/api/admin/products/${product.id}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: `Lamp ${LONE_SURROGATE}` }),
    });
    const stored = await prisma.product.findUniqueOrThrow({
      where: { id: product.id },
    });

    assert.equal(response.statusCode, 400);
    assert.deepEqual(detailPaths(response), ['body.name']);
    assert.equal(stored.name, 'Desk lamp');
  });

  test('request text - NUL in product name is 400', async () => {
    const response = await send(app, admin, {
      method: 'PATCH',
      url: `/api/admin/products/${product.id}`,
      headers: { 'content-type': 'application/json' },
      payload: '{"name":"Lamp\\u0000"}',
    });

    assert.equal(response.statusCode, 400);
    assert.deepEqual(detailPaths(response), ['body.name']);
  });

  test('request text - nested array strings are checked', async () => {
    const response = await send(app, admin, {
      method: 'PATCH',
      url: `/api/admin/products/${product.id}`,
      headers: { 'content-type': 'application/json' },
      payload: '{"images":["a.svg","b\\u0000.svg"]}',
    });

    assert.equal(response.statusCode, 400);
    assert.deepEqual(detailPaths(response), ['body.images.1']);
  });

  test('request text - paired surrogates are accepted', async () => {
    const response = await send(app, admin, {
      method: 'PATCH',
      url: `/api/admin/products/${product.id}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'Lamp \u{1F4A1}' }),
    });

    assert.equal(response.statusCode, 200);
    assert.equal(response.json().name, 'Lamp \u{1F4A1}');
  });
});

describe('request text in URLs', () => {
  const queries = [
    ['admin products', '/api/admin/products?q=%00'],
    ['admin orders', '/api/admin/orders?q=%00'],
    ['search', '/api/search?q=lamp%00'],
    ['search suggest', '/api/search/suggest?q=la%00'],
  ] as const;

  for (const [name, url] of queries) {
    test(`request text - NUL in ${name} q is 400`, async () => {
      const response = await send(app, admin, { method: 'GET', url });

      assert.equal(response.statusCode, 400);
      assert.equal(response.json().error.code, 'VALIDATION_FAILED');
      assert.deepEqual(detailPaths(response), ['query.q']);
    });
  }

  test('request text - NUL in a path parameter is 400', async () => {
    const response = await send(app, null, {
      method: 'GET',
      url: '/api/products/lamp%00',
    });

    assert.equal(response.statusCode, 400);
    assert.deepEqual(detailPaths(response), ['params.slug']);
  });
});
