import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import type { FastifyInstance } from 'fastify';

import type {
  OrderStatus,
  PrismaClient,
  Product,
} from '../../../src/generated/prisma/client.js';
import { buildTestApp } from '../../helpers/app.js';
import { createCategory, createProduct } from '../../helpers/catalog.js';
import { createShopper, send, type Shopper } from '../orders/helpers.js';

let app: FastifyInstance;
let prisma: PrismaClient;
let close: () => Promise<void>;
let admin: Shopper;
let lamp: Product;
let mug: Product;

const DAY_MS = 24 * 60 * 60 * 1000;
let orderCounter = 0;

function daysAgo(days: number): Date {
  const now = new Date();
  const noon = Date.UTC(
    now.getUTCFullYear(),
    now.getUTCMonth(),
    now.getUTCDate(),
    12,
  );
  return new Date(noon - days * DAY_MS);
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

async function insertOrder(
  userId: string,
  status: OrderStatus,
  createdAt: Date,
  totalCents: number,
  items: { product: Product; quantity: number; unitPriceCents: number }[],
): Promise<void> {
  orderCounter += 1;
  await prisma.order.create({
    data: {
      // A past year, so these numbers never meet the ones checkout allocates.
      number: `SO-2001-${String(orderCounter).padStart(6, '0')}`,
      userId,
      status,
      subtotalCents: totalCents,
      shippingCents: 0,
      taxCents: 0,
      totalCents,
      currency: 'EUR',
      shippingAddress: {},
      createdAt,
      items: {
        create: items.map(({ product, quantity, unitPriceCents }) => ({
          productId: product.id,
          sku: product.sku,
          name: product.name,
          unitPriceCents,
          quantity,
        })),
      },
    },
  });
}

before(async () => {
  ({ app, prisma, close } = await buildTestApp());
  admin = await createShopper(app, 'admin');
  const customer = await createShopper(app);
  const categoryId = (await createCategory(prisma)).id;
  lamp = await createProduct(prisma, { categoryId });
  mug = await createProduct(prisma, { categoryId });

  await insertOrder(customer.id, 'paid', daysAgo(0), 1000, [
    { product: lamp, quantity: 2, unitPriceCents: 300 },
    { product: mug, quantity: 1, unitPriceCents: 400 },
  ]);
  await insertOrder(customer.id, 'cancelled', daysAgo(0), 5000, [
    { product: lamp, quantity: 10, unitPriceCents: 500 },
  ]);
  await insertOrder(customer.id, 'shipped', daysAgo(1), 2500, [
    { product: mug, quantity: 5, unitPriceCents: 500 },
  ]);
  await insertOrder(customer.id, 'refunded', daysAgo(1), 700, [
    { product: lamp, quantity: 1, unitPriceCents: 700 },
  ]);
  await insertOrder(customer.id, 'pending', daysAgo(1), 800, [
    { product: lamp, quantity: 1, unitPriceCents: 800 },
  ]);
  await insertOrder(customer.id, 'delivered', daysAgo(40), 9000, [
    { product: lamp, quantity: 3, unitPriceCents: 3000 },
  ]);
});

after(async () => {
  await close();
});

interface SalesBody {
  days: { date: string; orders: number; revenueCents: number }[];
  topProducts: {
    productId: string;
    sku: string;
    quantity: number;
    revenueCents: number;
  }[];
  totals: { orders: number; revenueCents: number };
}

async function sales(query: string): Promise<SalesBody> {
  const response = await send(app, admin, {
    method: 'GET',
    url: `/api/admin/sales${query}`,
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<SalesBody>();
}

test('sales - defaults to 30 days ending today', async () => {
  const report = await sales('');

  assert.equal(report.days.length, 30);
  assert.equal(report.days.at(-1)?.date, isoDay(daysAgo(0)));
  assert.equal(report.days[0]?.date, isoDay(daysAgo(29)));
});

test('sales - counts paid, shipped and delivered orders per day', async () => {
  const report = await sales('?days=30');

  assert.deepEqual(report.days.at(-1), {
    date: isoDay(daysAgo(0)),
    orders: 1,
    revenueCents: 1000,
  });
  assert.deepEqual(report.days.at(-2), {
    date: isoDay(daysAgo(1)),
    orders: 1,
    revenueCents: 2500,
  });
  assert.deepEqual(report.days.at(-3), {
    date: isoDay(daysAgo(2)),
    orders: 0,
    revenueCents: 0,
  });
  assert.deepEqual(report.totals, { orders: 2, revenueCents: 3500 });
});

test('sales - top products by quantity', async () => {
  const report = await sales('?days=30');

  assert.deepEqual(
    report.topProducts.map(({ productId, sku, quantity, revenueCents }) => ({
      productId,
      sku,
      quantity,
      revenueCents,
    })),
    [
      { productId: mug.id, sku: mug.sku, quantity: 6, revenueCents: 2900 },
      { productId: lamp.id, sku: lamp.sku, quantity: 2, revenueCents: 600 },
    ],
  );
});

test('sales - longer window includes older orders', async () => {
  const report = await sales('?days=60');

  assert.equal(report.days.length, 60);
  assert.deepEqual(report.totals, { orders: 3, revenueCents: 12_500 });
  assert.equal(report.topProducts[0]?.productId, mug.id);
  assert.equal(report.topProducts[1]?.quantity, 5);
});

test('sales - one day covers today only', async () => {
  const report = await sales('?days=1');

  assert.deepEqual(report.days, [
    { date: isoDay(daysAgo(0)), orders: 1, revenueCents: 1000 },
  ]);
});

test('sales - invalid days are 400', async () => {
  for (const query of [
    '?days=0',
    '?days=366',
    '?days=abc',
    '?days=1.5',
    '?days=7&days=8',
    '?from=2025-01-01',
  ]) {
    const response = await send(app, admin, {
      method: 'GET',
      url: `/api/admin/sales${query}`,
    });
    assert.equal(response.statusCode, 400, query);
  }
});
