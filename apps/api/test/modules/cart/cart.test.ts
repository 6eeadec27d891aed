import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';

import type { FastifyInstance } from 'fastify';

import type {
  PrismaClient,
  Product,
} from '../../../src/generated/prisma/client.js';
import { MAX_CART_LINES } from '../../../src/modules/cart/schemas.js';
import { computeTotals } from '../../../src/modules/cart/totals.js';
import { buildTestApp } from '../../helpers/app.js';
import { createCategory, createProduct } from '../../helpers/catalog.js';
import { createShopper, send, type Shopper } from '../orders/helpers.js';

let app: FastifyInstance;
let prisma: PrismaClient;
let close: () => Promise<void>;
let shopper: Shopper;
let other: Shopper;
let categoryId: string;
let lamp: Product;

const rules = {
  currency: 'EUR',
  shippingFlatCents: 499,
  freeShippingThresholdCents: 5000,
  taxRateBasisPoints: 2000,
};

before(async () => {
  ({ app, prisma, close } = await buildTestApp({ checkout: rules }));
  categoryId = (await createCategory(prisma)).id;
});

after(async () => {
  await close();
});

beforeEach(async () => {
  shopper = await createShopper(app);
  other = await createShopper(app);
  lamp = await createProduct(prisma, {
    categoryId,
    priceCents: 1250,
    stock: 5,
  });
});

interface CartBody {
  items: {
    productId: string;
    quantity: number;
    unitPriceCents: number;
    lineTotalCents: number;
    imageUrl: string | null;
  }[];
  subtotalCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
  currency: string;
  itemCount: number;
}

function addItem(shopper: Shopper | null, payload: unknown) {
  return send(app, shopper, {
    method: 'POST',
    url: '/api/cart/items',
    payload: payload as object,
  });
}

async function cartRows(userId: string) {
  return prisma.cartItem.findMany({
    where: { cart: { userId } },
    select: { productId: true, quantity: true },
    orderBy: { productId: 'asc' },
  });
}

test('cart routes - 401 without a token', async () => {
  const requests = [
    { method: 'GET', url: '/api/cart' },
    {
      method: 'POST',
      url: '/api/cart/items',
      payload: { productId: lamp.id, quantity: 1 },
    },
    {
      method: 'PATCH',
      url: `/api/cart/items/${lamp.id}`,
      payload: { quantity: 1 },
    },
    { method: 'DELETE', url: `/api/cart/items/${lamp.id}` },
    { method: 'DELETE', url: '/api/cart' },
  ] as const;

  for (const request of requests) {
    const response = await send(app, null, request);
    assert.equal(response.statusCode, 401, `${request.method} ${request.url}`);
    assert.equal(response.headers['cache-control'], 'no-store');
  }
});

test('get cart - empty cart has zero totals', async () => {
  const response = await send(app, shopper, {
    method: 'GET',
    url: '/api/cart',
  });

  assert.equal(response.statusCode, 200);
  assert.equal(response.headers['cache-control'], 'no-store');
  assert.deepEqual(response.json(), {
    items: [],
    subtotalCents: 0,
    shippingCents: 0,
    taxCents: 0,
    totalCents: 0,
    currency: 'EUR',
    itemCount: 0,
  });
});

test('add item - prices the line from the database', async () => {
  const response = await addItem(shopper, { productId: lamp.id, quantity: 2 });
  const cart = response.json<CartBody>();

  assert.equal(response.statusCode, 200);
  assert.equal(response.headers['cache-control'], 'no-store');
  assert.equal(cart.items.length, 1);
  assert.equal(cart.items[0]?.unitPriceCents, 1250);
  assert.equal(cart.items[0]?.lineTotalCents, 2500);
  assert.match(cart.items[0]?.imageUrl ?? '', /^\/api\/images\/products\//);
  assert.equal(cart.subtotalCents, 2500);
  // Below the 50.00 threshold: 4.99 shipping, then 20% tax on 29.99.
  assert.equal(cart.shippingCents, 499);
  assert.equal(cart.taxCents, 600);
  assert.equal(cart.totalCents, 3599);
  assert.equal(cart.itemCount, 2);
});

test('add item - adds to the quantity already in the cart', async () => {
  await addItem(shopper, { productId: lamp.id, quantity: 2 });
  const response = await addItem(shopper, { productId: lamp.id, quantity: 3 });

  assert.equal(response.statusCode, 200);
  assert.deepEqual(await cartRows(shopper.id), [
    { productId: lamp.id, quantity: 5 },
  ]);
});

test('add item - above stock is 422 OUT_OF_STOCK', async () => {
  await addItem(shopper, { productId: lamp.id, quantity: 4 });
  const response = await addItem(shopper, { productId: lamp.id, quantity: 2 });

  assert.equal(response.statusCode, 422);
  assert.equal(response.json().error.code, 'OUT_OF_STOCK');
  assert.deepEqual(await cartRows(shopper.id), [
    { productId: lamp.id, quantity: 4 },
  ]);
});

test('add item - line above 99 is 400', async () => {
  const plenty = await createProduct(prisma, { categoryId, stock: 500 });
  await addItem(shopper, { productId: plenty.id, quantity: 60 });
  const response = await addItem(shopper, {
    productId: plenty.id,
    quantity: 40,
  });

  assert.equal(response.statusCode, 400);
  assert.equal(response.json().error.details[0].path, 'body.quantity');
  assert.deepEqual(await cartRows(shopper.id), [
    { productId: plenty.id, quantity: 60 },
  ]);
});

test('add item - invalid bodies are 400 and change nothing', async () => {
  const bodies = [
    { productId: lamp.id, quantity: 0 },
    { productId: lamp.id, quantity: -1 },
    { productId: lamp.id, quantity: 1.5 },
    { productId: lamp.id, quantity: '2' },
    { productId: lamp.id, quantity: 100 },
    { productId: lamp.id },
    { productId: 'not-a-uuid', quantity: 1 },
    { productId: lamp.id, quantity: 1, priceCents: 1 },
    { productId: lamp.id, quantity: 1, unitPriceCents: 1 },
    { productId: lamp.id, quantity: 1, total: 0 },
    [{ productId: lamp.id, quantity: 1 }],
  ];

  for (const body of bodies) {
    const response = await addItem(shopper, body);
    assert.equal(response.statusCode, 400, JSON.stringify(body));
    assert.equal(response.json().error.code, 'VALIDATION_FAILED');
  }
  assert.deepEqual(await cartRows(shopper.id), []);
});

test('add item - draft, archived and unknown products are 404', async () => {
  const draft = await createProduct(prisma, { categoryId, status: 'draft' });
  const archived = await createProduct(prisma, {
    categoryId,
    status: 'archived',
  });

  for (const productId of [
    draft.id,
    archived.id,
    '00000000-0000-4000-8000-000000000000',
  ]) {
    const response = await addItem(shopper, { productId, quantity: 1 });
    assert.equal(response.statusCode, 404, productId);
  }
  assert.deepEqual(await cartRows(shopper.id), []);
});

test('add item - limits the number of different products', async () => {
  const cart = await prisma.cart.create({ data: { userId: shopper.id } });
  for (let index = 0; index < MAX_CART_LINES; index += 1) {
    const product = await createProduct(prisma, { categoryId });
    await prisma.cartItem.create({
      data: { cartId: cart.id, productId: product.id, quantity: 1 },
    });
  }

  const response = await addItem(shopper, { productId: lamp.id, quantity: 1 });

  assert.equal(response.statusCode, 422);
  assert.equal(response.json().error.code, 'BUSINESS_RULE');
  assert.equal((await cartRows(shopper.id)).length, MAX_CART_LINES);
});

test('get cart - uses the current database price', async () => {
  await addItem(shopper, { productId: lamp.id, quantity: 1 });
  await prisma.product.update({
    where: { id: lamp.id },
    data: { priceCents: 990 },
  });

  const cart = (
    await send(app, shopper, { method: 'GET', url: '/api/cart' })
  ).json<CartBody>();

  assert.equal(cart.items[0]?.unitPriceCents, 990);
  assert.equal(cart.subtotalCents, 990);
});

test('get cart - hides products that are no longer active', async () => {
  await addItem(shopper, { productId: lamp.id, quantity: 1 });
  await prisma.product.update({
    where: { id: lamp.id },
    data: { status: 'archived' },
  });

  const cart = (
    await send(app, shopper, { method: 'GET', url: '/api/cart' })
  ).json<CartBody>();

  assert.deepEqual(cart.items, []);
  assert.equal(cart.totalCents, 0);
});

test('get cart - free shipping from the threshold', async () => {
  const pricey = await createProduct(prisma, { categoryId, priceCents: 5000 });
  const response = await addItem(shopper, {
    productId: pricey.id,
    quantity: 1,
  });
  const cart = response.json<CartBody>();

  assert.equal(cart.shippingCents, 0);
  assert.equal(cart.taxCents, 1000);
  assert.equal(cart.totalCents, 6000);
});

test('change quantity - sets the new quantity', async () => {
  await addItem(shopper, { productId: lamp.id, quantity: 1 });
  const response = await send(app, shopper, {
    method: 'PATCH',
    url: `/api/cart/items/${lamp.id}`,
    payload: { quantity: 3 },
  });

  assert.equal(response.statusCode, 200);
  assert.equal(response.json<CartBody>().itemCount, 3);
  assert.deepEqual(await cartRows(shopper.id), [
    { productId: lamp.id, quantity: 3 },
  ]);
});

test('change quantity - above stock is 422', async () => {
  await addItem(shopper, { productId: lamp.id, quantity: 1 });
  const response = await send(app, shopper, {
    method: 'PATCH',
    url: `/api/cart/items/${lamp.id}`,
    payload: { quantity: 6 },
  });

  assert.equal(response.statusCode, 422);
  assert.equal(response.json().error.code, 'OUT_OF_STOCK');
  assert.deepEqual(await cartRows(shopper.id), [
    { productId: lamp.id, quantity: 1 },
  ]);
});

test('change quantity - invalid bodies are 400', async () => {
  await addItem(shopper, { productId: lamp.id, quantity: 2 });

  for (const payload of [
    { quantity: 0 },
    { quantity: 100 },
    { quantity: 1, priceCents: 1 },
    {},
  ]) {
    const response = await send(app, shopper, {
      method: 'PATCH',
      url: `/api/cart/items/${lamp.id}`,
      payload,
    });
    assert.equal(response.statusCode, 400, JSON.stringify(payload));
  }
  assert.deepEqual(await cartRows(shopper.id), [
    { productId: lamp.id, quantity: 2 },
  ]);
});

test('change quantity - item of another cart is 404', async () => {
  await addItem(other, { productId: lamp.id, quantity: 2 });
  const response = await send(app, shopper, {
    method: 'PATCH',
    url: `/api/cart/items/${lamp.id}`,
    payload: { quantity: 1 },
  });

  assert.equal(response.statusCode, 404);
  assert.deepEqual(await cartRows(other.id), [
    { productId: lamp.id, quantity: 2 },
  ]);
});

test('remove item - deletes the line', async () => {
  await addItem(shopper, { productId: lamp.id, quantity: 2 });
  const response = await send(app, shopper, {
    method: 'DELETE',
    url: `/api/cart/items/${lamp.id}`,
  });

  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json<CartBody>().items, []);
  assert.deepEqual(await cartRows(shopper.id), []);
});

test('remove item - item of another cart is 404', async () => {
  await addItem(other, { productId: lamp.id, quantity: 2 });
  const response = await send(app, shopper, {
    method: 'DELETE',
    url: `/api/cart/items/${lamp.id}`,
  });

  assert.equal(response.statusCode, 404);
  assert.deepEqual(await cartRows(other.id), [
    { productId: lamp.id, quantity: 2 },
  ]);
});

test('remove item - invalid product id is 400', async () => {
  const response = await send(app, shopper, {
    method: 'DELETE',
    url: '/api/cart/items/1%27%20OR%201=1',
  });

  assert.equal(response.statusCode, 400);
});

test('clear cart - empties only the own cart', async () => {
  await addItem(shopper, { productId: lamp.id, quantity: 1 });
  await addItem(other, { productId: lamp.id, quantity: 1 });

  const response = await send(app, shopper, {
    method: 'DELETE',
    url: '/api/cart',
  });

  assert.equal(response.statusCode, 200);
  assert.equal(response.json<CartBody>().itemCount, 0);
  assert.deepEqual(await cartRows(shopper.id), []);
  assert.equal((await cartRows(other.id)).length, 1);
});

test('compute totals - rounds tax half up to the cent', () => {
  // 2.50 subtotal + 4.99 shipping = 7.49; 20% is 1.498, rounded to 1.50.
  assert.deepEqual(computeTotals(250, rules), {
    subtotalCents: 250,
    shippingCents: 499,
    taxCents: 150,
    totalCents: 899,
  });
  // 0.01 + 4.99 = 5.00; 20% is exactly 1.00.
  assert.equal(computeTotals(1, rules).taxCents, 100);
  // 12.5% of 0.04 is half a cent, which rounds up.
  assert.equal(
    computeTotals(4, {
      ...rules,
      shippingFlatCents: 0,
      taxRateBasisPoints: 1250,
    }).taxCents,
    1,
  );
});
