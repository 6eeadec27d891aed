// Parallel add-to-cart requests of one user. Each request reads the line
// and the line count and then writes, so without a lock on the cart two
// requests read the same state and one of the updates is lost.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import type { FastifyInstance } from 'fastify';

import type { PrismaClient } from '../../../src/generated/prisma/client.js';
import { MAX_CART_LINES } from '../../../src/modules/cart/schemas.js';
import { buildTestApp } from '../../helpers/app.js';
import { createCategory, createProduct } from '../../helpers/catalog.js';
import { createShopper, send } from '../orders/helpers.js';

let app: FastifyInstance;
let prisma: PrismaClient;
let close: () => Promise<void>;
let categoryId: string;

before(async () => {
  ({ app, prisma, close } = await buildTestApp());
  categoryId = (await createCategory(prisma)).id;
});

after(async () => {
  await close();
});

test('cart concurrency - parallel adds of one product sum up', async () => {
  const shopper = await createShopper(app);
  const product = await createProduct(prisma, { categoryId, stock: 200 });

  const responses = await Promise.all(
    Array.from({ length: 10 }, () =>
      send(app, shopper, {
        method: 'POST',
        url: '/api/cart/items',
        payload: { productId: product.id, quantity: 9 },
      }),
    ),
  );

  for (const response of responses) {
    assert.equal(response.statusCode, 200, response.body);
  }
  const line = await prisma.cartItem.findFirst({
    where: { cart: { userId: shopper.id }, productId: product.id },
  });
  assert.equal(line?.quantity, 90);
});

test('cart concurrency - parallel adds stop at line maximum', async () => {
  const shopper = await createShopper(app);
  const product = await createProduct(prisma, { categoryId, stock: 200 });

  // 15 requests of 9 would make 135, and the maximum of 99 admits 11.
  const responses = await Promise.all(
    Array.from({ length: 15 }, () =>
      send(app, shopper, {
        method: 'POST',
        url: '/api/cart/items',
        payload: { productId: product.id, quantity: 9 },
      }),
    ),
  );

  const statuses = responses.map((response) => response.statusCode);
  assert.equal(statuses.filter((status) => status === 200).length, 11);
  assert.equal(statuses.filter((status) => status === 400).length, 4);
  const line = await prisma.cartItem.findFirst({
    where: { cart: { userId: shopper.id }, productId: product.id },
  });
  assert.equal(line?.quantity, 99);
});

test('cart concurrency - parallel adds keep the line cap', async () => {
  const shopper = await createShopper(app);
  const extra = 10;
  const products = [];
  for (let index = 0; index < MAX_CART_LINES + extra; index += 1) {
    products.push(await createProduct(prisma, { categoryId }));
  }

  const responses = await Promise.all(
    products.map((product) =>
      send(app, shopper, {
        method: 'POST',
        url: '/api/cart/items',
        payload: { productId: product.id, quantity: 1 },
      }),
    ),
  );

  const statuses = responses.map((response) => response.statusCode);
  assert.equal(
    statuses.filter((status) => status === 200).length,
    MAX_CART_LINES,
  );
  assert.equal(statuses.filter((status) => status === 422).length, extra);
  const lines = await prisma.cartItem.count({
    where: { cart: { userId: shopper.id } },
  });
  assert.equal(lines, MAX_CART_LINES);
});
