import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { FastifyInstance } from 'fastify';

import type {
  PrismaClient,
  Product,
} from '../../src/generated/prisma/client.js';
import { buildTestApp } from '../helpers/app.js';
import { createCategory, createProduct } from '../helpers/catalog.js';
import {
  createShopper,
  putInCart,
  send,
  type Shopper,
} from '../modules/orders/helpers.js';

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
  product = await createProduct(prisma);
});

after(async () => {
  await close();
});

const jsonHeaders = { 'content-type': 'application/json' };

describe('unexpected body', () => {
  test('unexpected body - DELETE /api/cart with a body is 400', async () => {
    await putInCart(prisma, customer.id, product.id, 2);

    const response = await send(app, customer, {
      method: 'DELETE',
      url: '/api/cart',
      headers: jsonHeaders,
      payload: '{"x":1}',
    });
    const lines = await prisma.cartItem.count({
      where: { cart: { userId: customer.id } },
    });

    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error.code, 'VALIDATION_FAILED');
    assert.equal(lines, 1, 'cart not cleared');
  });

  test('unexpected body - JSON null counts as a body', async () => {
    const response = await send(app, customer, {
      method: 'DELETE',
      url: '/api/cart',
      headers: jsonHeaders,
      payload: 'null',
    });

    assert.equal(response.statusCode, 400);
  });

  test('unexpected body - DELETE /api/cart without a body works', async () => {
    const response = await send(app, customer, {
      method: 'DELETE',
      url: '/api/cart',
    });

    assert.equal(response.statusCode, 200);
  });

  test('unexpected body - order cancel with a body is 400', async () => {
    const response = await send(app, customer, {
      method: 'POST',
      url: '/api/orders/SO-2026-000001/cancel',
      headers: jsonHeaders,
      payload: '{"reason":"x"}',
    });

    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error.code, 'VALIDATION_FAILED');
  });

  test('unexpected body - product archive with a body is 400', async () => {
    const response = await send(app, admin, {
      method: 'POST',
      url: `/api/admin/products/${product.id}/archive`,
      headers: jsonHeaders,
      payload: '{"x":1}',
    });
    const stored = await prisma.product.findUniqueOrThrow({
      where: { id: product.id },
    });

    assert.equal(response.statusCode, 400);
    assert.notEqual(stored.status, 'archived');
  });

  test('unexpected body - category archive with a body is 400', async () => {
    const category = await createCategory(prisma);

    const response = await send(app, admin, {
      method: 'POST',
      url: `/api/admin/categories/${category.id}/archive`,
      headers: jsonHeaders,
      payload: '{"x":1}',
    });

    assert.equal(response.statusCode, 400);
  });

  test('unexpected body - unknown route with a body stays 404', async () => {
    const response = await send(app, customer, {
      method: 'POST',
      url: '/api/no-such-route',
      headers: jsonHeaders,
      payload: '{"x":1}',
    });

    assert.equal(response.statusCode, 404);
  });
});
