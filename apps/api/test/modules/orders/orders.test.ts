import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';

import type { FastifyInstance } from 'fastify';

import type {
  PrismaClient,
  Product,
} from '../../../src/generated/prisma/client.js';
import { buildTestApp } from '../../helpers/app.js';
import { createCategory, createProduct } from '../../helpers/catalog.js';
import { createShopper, placeOrder, send, type Shopper } from './helpers.js';

let app: FastifyInstance;
let prisma: PrismaClient;
let close: () => Promise<void>;
let categoryId: string;
let shopper: Shopper;
let other: Shopper;
let lamp: Product;

before(async () => {
  ({ app, prisma, close } = await buildTestApp());
  categoryId = (await createCategory(prisma)).id;
});

after(async () => {
  await close();
});

beforeEach(async () => {
  shopper = await createShopper(app);
  other = await createShopper(app);
  lamp = await createProduct(prisma, { categoryId, stock: 10 });
});

async function stockOf(productId: string): Promise<number> {
  const product = await prisma.product.findUniqueOrThrow({
    where: { id: productId },
  });
  return product.stock;
}

interface Page {
  items: {
    number: string;
    status: string;
    itemCount: number;
    totalCents: number;
  }[];
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}

test('order routes - 401 without a token', async () => {
  const order = await placeOrder(app, shopper, lamp.id);
  const requests = [
    { method: 'GET', url: '/api/orders' },
    { method: 'GET', url: `/api/orders/${order.number}` },
    { method: 'POST', url: `/api/orders/${order.number}/cancel` },
  ] as const;

  for (const request of requests) {
    const response = await send(app, null, request);
    assert.equal(response.statusCode, 401, `${request.method} ${request.url}`);
  }
});

test('list orders - own orders newest first', async () => {
  const first = await placeOrder(app, shopper, lamp.id, 1);
  const second = await placeOrder(app, shopper, lamp.id, 3);
  await placeOrder(app, other, lamp.id, 1);

  const response = await send(app, shopper, {
    method: 'GET',
    url: '/api/orders',
  });
  const page = response.json<Page>();

  assert.equal(response.statusCode, 200);
  assert.equal(response.headers['cache-control'], 'no-store');
  assert.deepEqual(
    page.items.map((item) => item.number),
    [second.number, first.number],
  );
  assert.equal(page.items[0]?.itemCount, 3);
  assert.equal(page.items[0]?.status, 'paid');
  assert.equal(page.total, 2);
  assert.equal(page.totalPages, 1);
});

test('list orders - paginates', async () => {
  for (let index = 0; index < 3; index += 1) {
    await placeOrder(app, shopper, lamp.id);
  }

  const response = await send(app, shopper, {
    method: 'GET',
    url: '/api/orders?page=2&limit=2',
  });
  const page = response.json<Page>();

  assert.equal(page.items.length, 1);
  assert.equal(page.page, 2);
  assert.equal(page.limit, 2);
  assert.equal(page.total, 3);
  assert.equal(page.totalPages, 2);
});

test('list orders - invalid query is 400', async () => {
  for (const query of [
    'page=0',
    'limit=101',
    'limit=abc',
    'page=1&page=2',
    'status=paid',
  ]) {
    const response = await send(app, shopper, {
      method: 'GET',
      url: `/api/orders?${query}`,
    });
    assert.equal(response.statusCode, 400, query);
  }
});

test('get order - own order by number', async () => {
  const order = await placeOrder(app, shopper, lamp.id, 2);

  const response = await send(app, shopper, {
    method: 'GET',
    url: `/api/orders/${order.number}`,
  });

  assert.equal(response.statusCode, 200);
  assert.equal(response.json().id, order.id);
  assert.equal(response.json().items[0].quantity, 2);
});

test('get order - another user order is 404', async () => {
  const order = await placeOrder(app, other, lamp.id);

  const response = await send(app, shopper, {
    method: 'GET',
    url: `/api/orders/${order.number}`,
  });

  assert.equal(response.statusCode, 404);
  assert.equal(response.json().error.code, 'NOT_FOUND');
});

test('get order - unknown and malformed numbers', async () => {
  const unknown = await send(app, shopper, {
    method: 'GET',
    url: '/api/orders/SO-1999-000001',
  });
  const malformed = await send(app, shopper, {
    method: 'GET',
    url: "/api/orders/SO-1'%20OR%20'1'='1",
  });

  assert.equal(unknown.statusCode, 404);
  assert.equal(malformed.statusCode, 400);
});

test('cancel order - cancels a paid order and restocks', async () => {
  const order = await placeOrder(app, shopper, lamp.id, 4);
  assert.equal(await stockOf(lamp.id), 6);

  const response = await send(app, shopper, {
    method: 'POST',
    url: `/api/orders/${order.number}/cancel`,
  });

  assert.equal(response.statusCode, 200);
  assert.equal(response.json().status, 'cancelled');
  assert.notEqual(response.json().cancelledAt, null);
  assert.equal(await stockOf(lamp.id), 10);
});

test('cancel order - cancels a pending order', async () => {
  const order = await placeOrder(app, shopper, lamp.id, 1);
  await prisma.order.update({
    where: { id: order.id },
    data: { status: 'pending' },
  });

  const response = await send(app, shopper, {
    method: 'POST',
    url: `/api/orders/${order.number}/cancel`,
  });

  assert.equal(response.statusCode, 200);
  assert.equal(await stockOf(lamp.id), 10);
});

test('cancel order - second cancel is 409 and restocks once', async () => {
  const order = await placeOrder(app, shopper, lamp.id, 2);
  const url = `/api/orders/${order.number}/cancel`;

  const responses = await Promise.all([
    send(app, shopper, { method: 'POST', url }),
    send(app, shopper, { method: 'POST', url }),
  ]);

  const statuses = responses.map((response) => response.statusCode).sort();
  assert.deepEqual(statuses, [200, 409]);
  assert.equal(await stockOf(lamp.id), 10);
});

test('cancel order - later statuses are 409', async () => {
  for (const status of ['shipped', 'delivered', 'refunded'] as const) {
    const order = await placeOrder(app, shopper, lamp.id, 1);
    await prisma.order.update({ where: { id: order.id }, data: { status } });
    const stockBefore = await stockOf(lamp.id);

    const response = await send(app, shopper, {
      method: 'POST',
      url: `/api/orders/${order.number}/cancel`,
    });

    assert.equal(response.statusCode, 409, status);
    assert.equal(response.json().error.code, 'INVALID_TRANSITION');
    const stored = await prisma.order.findUniqueOrThrow({
      where: { id: order.id },
    });
    assert.equal(stored.status, status);
    assert.equal(await stockOf(lamp.id), stockBefore);
  }
});

test('cancel order - another user order is 404', async () => {
  const order = await placeOrder(app, other, lamp.id, 2);

  const response = await send(app, shopper, {
    method: 'POST',
    url: `/api/orders/${order.number}/cancel`,
  });

  assert.equal(response.statusCode, 404);
  const stored = await prisma.order.findUniqueOrThrow({
    where: { id: order.id },
  });
  assert.equal(stored.status, 'paid');
  assert.equal(await stockOf(lamp.id), 8);
});
