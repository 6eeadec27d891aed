import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';

import type { FastifyInstance } from 'fastify';

import type {
  OrderStatus,
  PrismaClient,
  Product,
} from '../../../src/generated/prisma/client.js';
import { ORDER_TRANSITIONS } from '../../../src/modules/orders/state-machine.js';
import { buildTestApp } from '../../helpers/app.js';
import { createCategory, createProduct } from '../../helpers/catalog.js';
import {
  createShopper,
  placeOrder,
  send,
  type Shopper,
} from '../orders/helpers.js';

let app: FastifyInstance;
let prisma: PrismaClient;
let close: () => Promise<void>;
let admin: Shopper;
let customer: Shopper;
let categoryId: string;
let product: Product;

const STATUSES: OrderStatus[] = [
  'pending',
  'paid',
  'shipped',
  'delivered',
  'cancelled',
  'refunded',
];

const ALLOWED: [OrderStatus, OrderStatus][] = [
  ['pending', 'paid'],
  ['pending', 'cancelled'],
  ['paid', 'shipped'],
  ['paid', 'cancelled'],
  ['paid', 'refunded'],
  ['shipped', 'delivered'],
  ['delivered', 'refunded'],
];

before(async () => {
  ({ app, prisma, close } = await buildTestApp());
  admin = await createShopper(app, 'admin');
  categoryId = (await createCategory(prisma)).id;
});

after(async () => {
  await close();
});

beforeEach(async () => {
  customer = await createShopper(app);
  product = await createProduct(prisma, { categoryId, stock: 100 });
});

async function stockOf(productId: string): Promise<number> {
  const row = await prisma.product.findUniqueOrThrow({
    where: { id: productId },
  });
  return row.stock;
}

/** Places an order of 2 units and puts it straight into `status`. */
async function orderIn(status: OrderStatus) {
  const order = await placeOrder(app, customer, product.id, 2);
  await prisma.order.update({ where: { id: order.id }, data: { status } });
  return order;
}

function changeStatus(number: string, status: string) {
  return send(app, admin, {
    method: 'POST',
    url: `/api/admin/orders/${number}/status`,
    payload: { status },
  });
}

test('state machine - table matches the documented transitions', () => {
  const table = STATUSES.flatMap((from) =>
    ORDER_TRANSITIONS[from].map((to) => [from, to]),
  );

  assert.deepEqual(table, ALLOWED);
});

test('order status - every allowed transition succeeds', async () => {
  for (const [from, to] of ALLOWED) {
    const order = await orderIn(from);

    const response = await changeStatus(order.number, to);

    assert.equal(response.statusCode, 200, `${from} -> ${to}`);
    assert.equal(response.json().status, to, `${from} -> ${to}`);
    assert.equal(response.json().customerEmail, customer.email);
    const stored = await prisma.order.findUniqueOrThrow({
      where: { id: order.id },
    });
    assert.equal(stored.status, to, `${from} -> ${to}`);
  }
});

test('order status - records the time of the new status', async () => {
  const order = await orderIn('paid');

  const shipped = await changeStatus(order.number, 'shipped');
  const delivered = await changeStatus(order.number, 'delivered');
  const refunded = await changeStatus(order.number, 'refunded');

  assert.notEqual(shipped.json().shippedAt, null);
  assert.notEqual(delivered.json().deliveredAt, null);
  assert.notEqual(refunded.json().refundedAt, null);
});

test('order status - forbidden transitions are 409', async () => {
  const forbidden = STATUSES.flatMap((from) =>
    STATUSES.filter(
      (to) => !ALLOWED.some(([a, b]) => a === from && b === to),
    ).map((to) => [from, to] as const),
  );
  assert.equal(forbidden.length, 36 - ALLOWED.length);

  for (const [from, to] of forbidden) {
    const order = await orderIn(from);
    const stockBefore = await stockOf(product.id);

    const response = await changeStatus(order.number, to);

    assert.equal(response.statusCode, 409, `${from} -> ${to}`);
    assert.equal(response.json().error.code, 'INVALID_TRANSITION');
    const stored = await prisma.order.findUniqueOrThrow({
      where: { id: order.id },
    });
    assert.equal(stored.status, from, `${from} -> ${to}`);
    assert.equal(await stockOf(product.id), stockBefore, `${from} -> ${to}`);
  }
});

test('order status - cancel and refund of a paid order restock', async () => {
  for (const to of ['cancelled', 'refunded'] as const) {
    const order = await orderIn('paid');
    const stockBefore = await stockOf(product.id);

    await changeStatus(order.number, to);

    assert.equal(await stockOf(product.id), stockBefore + 2, to);
  }
});

test('order status - cancel of a pending order restocks', async () => {
  const order = await orderIn('pending');
  const stockBefore = await stockOf(product.id);

  await changeStatus(order.number, 'cancelled');

  assert.equal(await stockOf(product.id), stockBefore + 2);
});

test('order status - shipping and refund after delivery keep stock', async () => {
  const order = await orderIn('paid');
  const stockBefore = await stockOf(product.id);

  await changeStatus(order.number, 'shipped');
  await changeStatus(order.number, 'delivered');
  await changeStatus(order.number, 'refunded');

  assert.equal(await stockOf(product.id), stockBefore);
});

test('order status - invalid body or unknown order', async () => {
  const order = await orderIn('paid');
  const cases: [string, unknown, number][] = [
    [order.number, { status: 'lost' }, 400],
    [order.number, { status: 'shipped', totalCents: 0 }, 400],
    [order.number, {}, 400],
    ['SO-1999-000001', { status: 'shipped' }, 404],
    ['not-a-number', { status: 'shipped' }, 400],
  ];

  for (const [number, payload, status] of cases) {
    const response = await send(app, admin, {
      method: 'POST',
      url: `/api/admin/orders/${number}/status`,
      payload: payload as object,
    });
    assert.equal(response.statusCode, status, JSON.stringify(payload));
  }
  const stored = await prisma.order.findUniqueOrThrow({
    where: { id: order.id },
  });
  assert.equal(stored.status, 'paid');
});

test('admin orders - gets any order with the customer email', async () => {
  const order = await placeOrder(app, customer, product.id, 1);

  const response = await send(app, admin, {
    method: 'GET',
    url: `/api/admin/orders/${order.number}`,
  });

  assert.equal(response.statusCode, 200);
  assert.equal(response.json().id, order.id);
  assert.equal(response.json().customerEmail, customer.email);
});

test('admin orders - filters by status, dates and text', async () => {
  const other = await createShopper(app);
  const paid = await placeOrder(app, customer, product.id, 1);
  const shipped = await placeOrder(app, other, product.id, 1);
  await prisma.order.update({
    where: { id: shipped.id },
    data: { status: 'shipped' },
  });
  const old = await placeOrder(app, other, product.id, 1);
  await prisma.order.update({
    where: { id: old.id },
    data: { createdAt: new Date('2025-03-10T12:00:00Z') },
  });

  const numbersFor = async (query: string) => {
    const response = await send(app, admin, {
      method: 'GET',
      url: `/api/admin/orders?${query}`,
    });
    assert.equal(response.statusCode, 200, query);
    return response.json().items.map((item: { number: string }) => item.number);
  };

  assert.deepEqual(await numbersFor(`status=shipped&q=${other.email}`), [
    shipped.number,
  ]);
  assert.deepEqual(await numbersFor(`q=${paid.number}`), [paid.number]);
  assert.deepEqual(
    await numbersFor(`q=${encodeURIComponent(customer.email.toUpperCase())}`),
    [paid.number],
  );
  assert.deepEqual(await numbersFor('from=2025-03-10&to=2025-03-10'), [
    old.number,
  ]);
  assert.deepEqual(await numbersFor(`from=2025-03-11&q=${other.email}`), [
    shipped.number,
  ]);
  assert.deepEqual(await numbersFor(`to=2025-03-09&q=${other.email}`), []);
});

test('admin orders - list shows newest first with totals', async () => {
  const first = await placeOrder(app, customer, product.id, 1);
  const second = await placeOrder(app, customer, product.id, 1);

  const response = await send(app, admin, {
    method: 'GET',
    url: `/api/admin/orders?q=${customer.email}&limit=1`,
  });
  const page = response.json();

  assert.equal(page.total, 2);
  assert.equal(page.totalPages, 2);
  assert.equal(page.items[0].number, second.number);
  assert.equal(page.items[0].customerEmail, customer.email);
  assert.notEqual(first.number, second.number);
});

test('admin orders - date filter bounds are accepted', async () => {
  for (const query of ['from=2000-01-01', 'to=9999-12-31']) {
    const response = await send(app, admin, {
      method: 'GET',
      url: `/api/admin/orders?${query}`,
    });
    assert.equal(response.statusCode, 200, query);
  }
});

test('admin orders - invalid list query is 400', async () => {
  const queries = [
    'status=lost',
    'from=yesterday',
    'from=2025-13-01',
    'from=2025-03-11&to=2025-03-10',
    'from=0000-01-01',
    'to=0000-01-01',
    'from=1999-12-31',
    'to=+010000-01-01',
    'q=',
    `q=${'x'.repeat(101)}`,
    'customer=1',
  ];

  for (const query of queries) {
    const response = await send(app, admin, {
      method: 'GET',
      url: `/api/admin/orders?${query}`,
    });
    assert.equal(response.statusCode, 400, query);
  }
});
