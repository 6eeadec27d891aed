import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import type { FastifyInstance } from 'fastify';

import type { PrismaClient } from '../../../src/generated/prisma/client.js';
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
let customer: Shopper;
let admin: Shopper;
let requests: {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  payload?: object;
}[];

before(async () => {
  ({ app, prisma, close } = await buildTestApp());
  customer = await createShopper(app);
  admin = await createShopper(app, 'admin');

  const category = await createCategory(prisma);
  const product = await createProduct(prisma, { categoryId: category.id });
  const order = await placeOrder(app, customer, product.id);

  requests = [
    { method: 'GET', url: '/api/admin/products' },
    { method: 'GET', url: `/api/admin/products/${product.id}` },
    {
      method: 'POST',
      url: '/api/admin/products',
      payload: {
        sku: 'NEW-1',
        slug: 'new-product',
        name: 'New product',
        priceCents: 100,
        stock: 1,
        status: 'active',
        featured: false,
        categoryId: category.id,
      },
    },
    {
      method: 'PATCH',
      url: `/api/admin/products/${product.id}`,
      payload: { priceCents: 1 },
    },
    { method: 'POST', url: `/api/admin/products/${product.id}/archive` },
    { method: 'GET', url: '/api/admin/categories' },
    {
      method: 'POST',
      url: '/api/admin/categories',
      payload: { slug: 'x', name: 'X' },
    },
    {
      method: 'PATCH',
      url: `/api/admin/categories/${category.id}`,
      payload: { name: 'Y' },
    },
    { method: 'POST', url: `/api/admin/categories/${category.id}/archive` },
    { method: 'GET', url: '/api/admin/orders' },
    { method: 'GET', url: `/api/admin/orders/${order.number}` },
    {
      method: 'POST',
      url: `/api/admin/orders/${order.number}/status`,
      payload: { status: 'shipped' },
    },
    { method: 'GET', url: '/api/admin/sales' },
  ];
});

after(async () => {
  await close();
});

async function databaseState() {
  return {
    products: await prisma.product.findMany({ orderBy: { id: 'asc' } }),
    categories: await prisma.category.findMany({ orderBy: { id: 'asc' } }),
    orders: await prisma.order.findMany({ orderBy: { id: 'asc' } }),
  };
}

test('admin routes - 401 without a token', async () => {
  for (const request of requests) {
    const response = await send(app, null, request);
    assert.equal(response.statusCode, 401, `${request.method} ${request.url}`);
  }
});

test('admin routes - 403 for a customer, nothing changes', async () => {
  const before = await databaseState();

  for (const request of requests) {
    const response = await send(app, customer, request);
    assert.equal(response.statusCode, 403, `${request.method} ${request.url}`);
    assert.equal(response.json().error.code, 'FORBIDDEN');
    assert.equal(response.headers['cache-control'], 'no-store');
  }
  assert.deepEqual(await databaseState(), before);
});

test('admin routes - demoted admin gets 403 at once', async () => {
  const demoted = await createShopper(app, 'admin');
  await prisma.user.update({
    where: { id: demoted.id },
    data: { role: 'customer' },
  });

  const response = await send(app, demoted, {
    method: 'GET',
    url: '/api/admin/orders',
  });

  assert.equal(response.statusCode, 403);
});

test('admin routes - admin reads every list', async () => {
  for (const url of [
    '/api/admin/products',
    '/api/admin/categories',
    '/api/admin/orders',
    '/api/admin/sales',
  ]) {
    const response = await send(app, admin, { method: 'GET', url });
    assert.equal(response.statusCode, 200, url);
    assert.equal(response.headers['cache-control'], 'no-store');
  }
});
