// Concurrent clients of the embedded database. PGlite has one session, so
// the server must keep each client's extended-protocol exchange (Parse,
// Bind, Execute, Sync) together, or one client's parameters are bound to
// another client's statement.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import type { FastifyInstance } from 'fastify';
import pg from 'pg';

import {
  type EmbeddedPostgres,
  startEmbeddedPostgres,
} from '../../src/db/embedded.js';
import { applyMigrations } from '../../src/db/migrate.js';
import type {
  PrismaClient,
  Product,
} from '../../src/generated/prisma/client.js';
import { buildTestApp } from '../helpers/app.js';
import { createCategory, createProduct } from '../helpers/catalog.js';
import {
  createShopper,
  newIdempotencyKey,
  send,
  validCheckoutBody,
} from '../modules/orders/helpers.js';

let embedded: EmbeddedPostgres;

before(async () => {
  embedded = await startEmbeddedPostgres({ dataDir: 'memory://', port: 0 });
});

after(async () => {
  await embedded.stop();
});

test('embedded concurrency - parameters stay with their statement', async () => {
  const clients = Array.from({ length: 8 }, () => new pg.Client(embedded.url));
  await Promise.all(clients.map((client) => client.connect()));

  try {
    // The clients run in parallel, each sending one query at a time.
    const perClient = await Promise.all(
      clients.map(async (client, clientIndex) => {
        const rows = [];
        for (let queryIndex = 0; queryIndex < 25; queryIndex += 1) {
          // Each client sends its own statement text, so a parameter bound
          // to another client's statement gives a wrong result.
          const result = await client.query<{ sum: number; label: string }>(
            `SELECT $1::int + ${clientIndex * 1000} AS sum, $2::text AS label`,
            [queryIndex, `client-${clientIndex}`],
          );
          rows.push({ clientIndex, queryIndex, row: result.rows[0] });
        }
        return rows;
      }),
    );
    const results = perClient.flat();

    for (const { clientIndex, queryIndex, row } of results) {
      assert.equal(row?.sum, clientIndex * 1000 + queryIndex);
      assert.equal(row?.label, `client-${clientIndex}`);
    }
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
});

test('embedded concurrency - transactions of several clients stay apart', async () => {
  const setup = new pg.Client(embedded.url);
  await setup.connect();
  await setup.query(
    'CREATE TABLE counters (id int PRIMARY KEY, value int NOT NULL)',
  );
  await setup.query('INSERT INTO counters VALUES (1, 0)');

  const clients = Array.from({ length: 5 }, () => new pg.Client(embedded.url));
  await Promise.all(clients.map((client) => client.connect()));
  try {
    await Promise.all(
      clients.map(async (client) => {
        for (let round = 0; round < 10; round += 1) {
          await client.query('BEGIN');
          const { rows } = await client.query<{ value: number }>(
            'SELECT value FROM counters WHERE id = $1 FOR UPDATE',
            [1],
          );
          await client.query('UPDATE counters SET value = $1 WHERE id = $2', [
            (rows[0]?.value ?? 0) + 1,
            1,
          ]);
          await client.query('COMMIT');
        }
      }),
    );

    const { rows } = await setup.query<{ value: number }>(
      'SELECT value FROM counters WHERE id = 1',
    );
    assert.equal(rows[0]?.value, 50);
  } finally {
    await Promise.all(clients.map((client) => client.end()));
    await setup.end();
  }
});

test('embedded concurrency - a client closed mid-transaction is rolled back', async () => {
  const setup = new pg.Client(embedded.url);
  await setup.connect();
  await setup.query('CREATE TABLE abandoned (body text NOT NULL)');

  const leaving = new pg.Client(embedded.url);
  await leaving.connect();
  await leaving.query('BEGIN');
  await leaving.query('INSERT INTO abandoned VALUES ($1)', ['never committed']);
  await leaving.end();

  try {
    // This waits until the server has rolled back the closed client's work.
    const { rows } = await setup.query<{ count: string }>(
      'SELECT count(*) FROM abandoned',
    );
    assert.equal(rows[0]?.count, '0');
  } finally {
    await setup.end();
  }
});

// With the queue of @electric-sql/pglite-socket 0.2.17 this test got 500s
// and then hung, so it has a timeout.
test(
  'embedded concurrency - parallel API requests all succeed',
  { timeout: 300_000 },
  async () => {
    await applyMigrations(embedded.url);
    const { app, prisma, close } = await buildTestApp({
      databaseUrl: embedded.url,
    });

    try {
      await runParallelRequests(app, prisma);
    } finally {
      await close();
    }
  },
);

async function runParallelRequests(
  app: FastifyInstance,
  prisma: PrismaClient,
): Promise<void> {
  const categoryId = (await createCategory(prisma)).id;
  const products: Product[] = [];
  for (let index = 0; index < 4; index += 1) {
    products.push(await createProduct(prisma, { categoryId, stock: 100 }));
  }
  const shoppers = [];
  for (let index = 0; index < 4; index += 1) {
    shoppers.push(await createShopper(app));
  }

  // Each shopper adds every product twice, in parallel with catalog,
  // cart and order reads of all shoppers.
  const requests = shoppers.flatMap((shopper) => [
    ...products.flatMap((product) =>
      [1, 2].map(() =>
        send(app, shopper, {
          method: 'POST',
          url: '/api/cart/items',
          payload: { productId: product.id, quantity: 1 },
        }),
      ),
    ),
    send(app, shopper, { method: 'GET', url: '/api/cart' }),
    send(app, shopper, { method: 'GET', url: '/api/orders' }),
    send(app, null, { method: 'GET', url: '/api/products' }),
    send(app, null, {
      method: 'GET',
      url: `/api/products/${products[0]!.slug}`,
    }),
  ]);
  const responses = await Promise.all(requests);
  for (const response of responses) {
    assert.equal(response.statusCode, 200, response.body);
  }

  // Every shopper checks out at once, and reads run beside the checkouts.
  const checkouts = await Promise.all([
    ...shoppers.map((shopper) =>
      send(app, shopper, {
        method: 'POST',
        url: '/api/orders',
        headers: { 'idempotency-key': newIdempotencyKey() },
        payload: validCheckoutBody,
      }),
    ),
    ...shoppers.map((shopper) =>
      send(app, shopper, { method: 'GET', url: '/api/orders' }),
    ),
  ]);
  for (const response of checkouts.slice(0, shoppers.length)) {
    assert.equal(response.statusCode, 201, response.body);
  }
  for (const response of checkouts.slice(shoppers.length)) {
    assert.equal(response.statusCode, 200, response.body);
  }

  for (const shopper of shoppers) {
    const orders = await prisma.order.findMany({
      where: { userId: shopper.id },
      include: { items: true },
    });
    assert.equal(orders.length, 1);
    assert.equal(orders[0]?.items.length, products.length);
    for (const item of orders[0]?.items ?? []) {
      assert.equal(item.quantity, 2);
    }
  }
  for (const product of products) {
    const stored = await prisma.product.findUniqueOrThrow({
      where: { id: product.id },
    });
    assert.equal(stored.stock, 100 - 2 * shoppers.length);
  }
}
