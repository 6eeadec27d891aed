import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';

import type { FastifyInstance } from 'fastify';

import type {
  PrismaClient,
  Product,
} from '../../../src/generated/prisma/client.js';
import { buildTestApp, createUser } from '../../helpers/app.js';
import { createCategory, createProduct } from '../../helpers/catalog.js';
import {
  createShopper,
  newIdempotencyKey,
  putInCart,
  send,
  type Shopper,
  validAddress,
  validCheckoutBody,
} from './helpers.js';

let app: FastifyInstance;
let prisma: PrismaClient;
let close: () => Promise<void>;
let categoryId: string;
let shopper: Shopper;
let lamp: Product;
let mug: Product;

before(async () => {
  ({ app, prisma, close } = await buildTestApp({
    checkout: {
      currency: 'EUR',
      shippingFlatCents: 499,
      freeShippingThresholdCents: 5000,
      taxRateBasisPoints: 2000,
    },
  }));
  categoryId = (await createCategory(prisma)).id;
});

after(async () => {
  await close();
});

beforeEach(async () => {
  shopper = await createShopper(app);
  lamp = await createProduct(prisma, {
    categoryId,
    priceCents: 1250,
    stock: 5,
  });
  mug = await createProduct(prisma, { categoryId, priceCents: 800, stock: 3 });
});

interface OrderBody {
  id: string;
  number: string;
  status: string;
  items: {
    productId: string;
    sku: string;
    name: string;
    unitPriceCents: number;
    quantity: number;
    lineTotalCents: number;
  }[];
  subtotalCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
  currency: string;
  shippingAddress: Record<string, string>;
  paidAt: string | null;
}

function checkout(
  buyer: Shopper | null,
  payload: unknown = validCheckoutBody,
  key: string | null = newIdempotencyKey(),
) {
  return send(app, buyer, {
    method: 'POST',
    url: '/api/orders',
    headers: key === null ? {} : { 'idempotency-key': key },
    payload: payload as object,
  });
}

async function stockOf(productId: string): Promise<number> {
  const product = await prisma.product.findUniqueOrThrow({
    where: { id: productId },
  });
  return product.stock;
}

async function snapshot(userId: string) {
  return {
    orders: await prisma.order.count({ where: { userId } }),
    keys: await prisma.idempotencyKey.count({ where: { userId } }),
    cart: await prisma.cartItem.count({ where: { cart: { userId } } }),
    lampStock: await stockOf(lamp.id),
    mugStock: await stockOf(mug.id),
  };
}

test('checkout - 401 without a token', async () => {
  const response = await checkout(null);

  assert.equal(response.statusCode, 401);
  assert.equal(response.headers['cache-control'], 'no-store');
});

test('checkout - places a paid order from the cart', async () => {
  await putInCart(prisma, shopper.id, lamp.id, 2);
  await putInCart(prisma, shopper.id, mug.id, 1);

  const response = await checkout(shopper);
  const order = response.json<OrderBody>();

  assert.equal(response.statusCode, 201);
  assert.equal(response.headers['cache-control'], 'no-store');
  assert.match(order.number, /^SO-\d{4}-\d{6}$/);
  assert.equal(order.status, 'paid');
  assert.notEqual(order.paidAt, null);
  assert.equal(order.subtotalCents, 3300);
  assert.equal(order.shippingCents, 499);
  assert.equal(order.taxCents, 760);
  assert.equal(order.totalCents, 4559);
  assert.equal(order.currency, 'EUR');
  assert.deepEqual(order.shippingAddress, validAddress);
  assert.equal(order.items.length, 2);

  const lampLine = order.items.find((item) => item.productId === lamp.id);
  assert.deepEqual(lampLine, {
    productId: lamp.id,
    sku: lamp.sku,
    name: lamp.name,
    unitPriceCents: 1250,
    quantity: 2,
    lineTotalCents: 2500,
  });

  assert.equal(await stockOf(lamp.id), 3);
  assert.equal(await stockOf(mug.id), 2);
  assert.equal(
    await prisma.cartItem.count({ where: { cart: { userId: shopper.id } } }),
    0,
  );
  const stored = await prisma.order.findUniqueOrThrow({
    where: { id: order.id },
  });
  assert.match(stored.paymentRef ?? '', /^mock_/);
});

test('checkout - works for a user signed in through the API', async () => {
  const user = await createUser(app);
  await putInCart(prisma, user.id, lamp.id, 1);

  const response = await send(app, null, {
    method: 'POST',
    url: '/api/orders',
    headers: {
      authorization: `Bearer ${user.accessToken}`,
      'idempotency-key': newIdempotencyKey(),
    },
    payload: validCheckoutBody,
  });

  assert.equal(response.statusCode, 201);
});

test('checkout - order numbers count up', async () => {
  await putInCart(prisma, shopper.id, lamp.id, 1);
  const first = (await checkout(shopper)).json<OrderBody>();
  await putInCart(prisma, shopper.id, lamp.id, 1);
  const second = (await checkout(shopper)).json<OrderBody>();

  const counter = (number: string) => Number(number.split('-')[2]);
  assert.equal(counter(second.number), counter(first.number) + 1);
});

test('checkout - items keep the price paid', async () => {
  await putInCart(prisma, shopper.id, lamp.id, 1);
  const order = (await checkout(shopper)).json<OrderBody>();

  await prisma.product.update({
    where: { id: lamp.id },
    data: { priceCents: 9999, name: 'Renamed lamp' },
  });
  const response = await send(app, shopper, {
    method: 'GET',
    url: `/api/orders/${order.number}`,
  });

  assert.equal(response.json<OrderBody>().items[0]?.unitPriceCents, 1250);
  assert.equal(response.json<OrderBody>().items[0]?.name, lamp.name);
});

test('checkout - empty cart is 422 CART_EMPTY', async () => {
  const before = await snapshot(shopper.id);
  const response = await checkout(shopper);

  assert.equal(response.statusCode, 422);
  assert.equal(response.json().error.code, 'CART_EMPTY');
  assert.deepEqual(await snapshot(shopper.id), before);
});

test('checkout - cart of archived products is 422 CART_EMPTY', async () => {
  await putInCart(prisma, shopper.id, lamp.id, 1);
  await prisma.product.update({
    where: { id: lamp.id },
    data: { status: 'archived' },
  });

  const response = await checkout(shopper);

  assert.equal(response.statusCode, 422);
  assert.equal(response.json().error.code, 'CART_EMPTY');
});

test('checkout - stock below cart quantity is 422 and writes nothing', async () => {
  await putInCart(prisma, shopper.id, mug.id, 1);
  await putInCart(prisma, shopper.id, lamp.id, 2);
  await prisma.product.update({ where: { id: lamp.id }, data: { stock: 1 } });
  const before = await snapshot(shopper.id);

  const response = await checkout(shopper);

  assert.equal(response.statusCode, 422);
  assert.equal(response.json().error.code, 'OUT_OF_STOCK');
  assert.deepEqual(await snapshot(shopper.id), before);
});

test('checkout - declined card is 422 and writes nothing', async () => {
  await putInCart(prisma, shopper.id, lamp.id, 2);
  const before = await snapshot(shopper.id);

  const response = await checkout(shopper, {
    ...validCheckoutBody,
    payment: { method: 'mock_card', cardToken: 'tok_declined' },
  });

  assert.equal(response.statusCode, 422);
  assert.equal(response.json().error.code, 'PAYMENT_FAILED');
  assert.deepEqual(await snapshot(shopper.id), before);
});

test('checkout - missing or invalid Idempotency-Key is 400', async () => {
  await putInCart(prisma, shopper.id, lamp.id, 1);
  const before = await snapshot(shopper.id);

  for (const key of [
    null,
    '',
    'short',
    'has space in it',
    'semi;colon-key',
    'x'.repeat(129),
  ]) {
    const response = await checkout(shopper, validCheckoutBody, key);
    assert.equal(response.statusCode, 400, String(key));
    assert.equal(response.json().error.code, 'VALIDATION_FAILED');
  }
  assert.deepEqual(await snapshot(shopper.id), before);
});

test('checkout - invalid or smuggled body fields are 400', async () => {
  await putInCart(prisma, shopper.id, lamp.id, 1);
  const before = await snapshot(shopper.id);
  const { fullName: _omitted, ...withoutName } = validAddress;

  const bodies = [
    { ...validCheckoutBody, totalCents: 1 },
    { ...validCheckoutBody, status: 'delivered' },
    { ...validCheckoutBody, price: 0 },
    {
      ...validCheckoutBody,
      items: [{ productId: lamp.id, quantity: 1, unitPriceCents: 1 }],
    },
    {
      ...validCheckoutBody,
      shippingAddress: { ...validAddress, role: 'admin' },
    },
    { ...validCheckoutBody, payment: { method: 'mock_card', amountCents: 1 } },
    { ...validCheckoutBody, payment: { method: 'bank_transfer' } },
    { ...validCheckoutBody, shippingAddress: withoutName },
    {
      ...validCheckoutBody,
      shippingAddress: { ...validAddress, country: 'Germany' },
    },
    {
      ...validCheckoutBody,
      shippingAddress: { ...validAddress, fullName: '   ' },
    },
    {
      ...validCheckoutBody,
      shippingAddress: { ...validAddress, line1: 'x'.repeat(201) },
    },
    {
      ...validCheckoutBody,
      shippingAddress: { ...validAddress, city: 'Paris\u0000' },
    },
    { shippingAddress: validAddress },
  ];

  for (const body of bodies) {
    const response = await checkout(shopper, body);
    assert.equal(response.statusCode, 400, JSON.stringify(body));
  }
  assert.deepEqual(await snapshot(shopper.id), before);
});

test('idempotency - same key and body returns the same order', async () => {
  await putInCart(prisma, shopper.id, lamp.id, 1);
  const key = newIdempotencyKey();

  const first = await checkout(shopper, validCheckoutBody, key);
  // The cart is empty now: a replay must not need it.
  const replay = await checkout(shopper, validCheckoutBody, key);

  assert.equal(first.statusCode, 201);
  assert.equal(replay.statusCode, 200);
  assert.equal(replay.json<OrderBody>().id, first.json<OrderBody>().id);
  assert.equal(await prisma.order.count({ where: { userId: shopper.id } }), 1);
  assert.equal(await stockOf(lamp.id), 4);
});

test('idempotency - key order of the body does not matter', async () => {
  await putInCart(prisma, shopper.id, lamp.id, 1);
  const key = newIdempotencyKey();
  await checkout(shopper, validCheckoutBody, key);

  const reordered = {
    payment: { cardToken: 'tok_visa', method: 'mock_card' },
    shippingAddress: { ...validAddress },
  };
  const replay = await checkout(shopper, reordered, key);

  assert.equal(replay.statusCode, 200);
});

test('idempotency - same key with another body is 409', async () => {
  await putInCart(prisma, shopper.id, lamp.id, 1);
  const key = newIdempotencyKey();
  await checkout(shopper, validCheckoutBody, key);
  await putInCart(prisma, shopper.id, mug.id, 1);

  const response = await checkout(
    shopper,
    {
      ...validCheckoutBody,
      shippingAddress: { ...validAddress, city: 'Leeds' },
    },
    key,
  );

  assert.equal(response.statusCode, 409);
  assert.equal(response.json().error.code, 'IDEMPOTENCY_KEY_REUSED');
  assert.equal(await prisma.order.count({ where: { userId: shopper.id } }), 1);
  assert.equal(await stockOf(mug.id), 3);
});

test('idempotency - keys are scoped to the user', async () => {
  const other = await createShopper(app);
  await putInCart(prisma, shopper.id, lamp.id, 1);
  await putInCart(prisma, other.id, lamp.id, 1);
  const key = newIdempotencyKey();

  const mine = await checkout(shopper, validCheckoutBody, key);
  const theirs = await checkout(other, validCheckoutBody, key);

  assert.equal(mine.statusCode, 201);
  assert.equal(theirs.statusCode, 201);
  assert.notEqual(theirs.json<OrderBody>().id, mine.json<OrderBody>().id);
});

test('idempotency - key is free again after a declined payment', async () => {
  await putInCart(prisma, shopper.id, lamp.id, 1);
  const key = newIdempotencyKey();
  const declined = {
    ...validCheckoutBody,
    payment: { method: 'mock_card', cardToken: 'tok_declined' },
  };

  assert.equal((await checkout(shopper, declined, key)).statusCode, 422);
  assert.equal((await checkout(shopper, declined, key)).statusCode, 422);
  assert.equal(
    await prisma.idempotencyKey.count({ where: { userId: shopper.id } }),
    0,
  );
});

test('concurrency - 10 requests with one key give one order', async () => {
  await putInCart(prisma, shopper.id, lamp.id, 2);
  const key = newIdempotencyKey();

  const responses = await Promise.all(
    Array.from({ length: 10 }, () => checkout(shopper, validCheckoutBody, key)),
  );

  const statuses = responses.map((response) => response.statusCode).sort();
  assert.deepEqual(
    statuses,
    [200, 200, 200, 200, 200, 200, 200, 200, 200, 201],
  );
  const ids = new Set(
    responses.map((response) => response.json<OrderBody>().id),
  );
  assert.equal(ids.size, 1);
  assert.equal(await prisma.order.count({ where: { userId: shopper.id } }), 1);
  assert.equal(await stockOf(lamp.id), 3);
});

test('concurrency - two keys of one user order the cart once', async () => {
  await putInCart(prisma, shopper.id, lamp.id, 2);

  const responses = await Promise.all([checkout(shopper), checkout(shopper)]);

  const statuses = responses.map((response) => response.statusCode).sort();
  assert.deepEqual(statuses, [201, 422]);
  assert.equal(await prisma.order.count({ where: { userId: shopper.id } }), 1);
  assert.equal(await stockOf(lamp.id), 3);
});

test('concurrency - stock 1 and 20 buyers give one order', async () => {
  const lastOne = await createProduct(prisma, { categoryId, stock: 1 });
  const buyers = await Promise.all(
    Array.from({ length: 20 }, () => createShopper(app)),
  );
  for (const buyer of buyers) {
    await putInCart(prisma, buyer.id, lastOne.id, 1);
  }

  const responses = await Promise.all(buyers.map((buyer) => checkout(buyer)));

  const created = responses.filter((response) => response.statusCode === 201);
  const rejected = responses.filter(
    (response) =>
      response.statusCode === 422 &&
      response.json().error.code === 'OUT_OF_STOCK',
  );
  assert.equal(created.length, 1);
  assert.equal(rejected.length, 19);
  assert.equal(await stockOf(lastOne.id), 0);
  assert.equal(
    await prisma.orderItem.count({ where: { productId: lastOne.id } }),
    1,
  );
});
