import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import pg from 'pg';

import { createPrismaClient } from '../../src/db/client.js';
import {
  EmbeddedDatabaseInUseError,
  startEmbeddedPostgres,
} from '../../src/db/embedded.js';
import { applyMigrations } from '../../src/db/migrate.js';

let parentDir: string;

before(async () => {
  parentDir = await mkdtemp(join(tmpdir(), 'shop-embedded-'));
});

after(async () => {
  await rm(parentDir, { recursive: true, force: true });
});

async function withClient<T>(
  url: string,
  task: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await task(client);
  } finally {
    await client.end();
  }
}

test('embedded postgres - data survives a restart', async () => {
  const dataDir = join(parentDir, 'pglite');

  const first = await startEmbeddedPostgres({ dataDir, port: 0 });
  try {
    assert.match(
      first.url,
      /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/,
    );
    await withClient(first.url, async (client) => {
      await client.query('CREATE TABLE notes (body TEXT NOT NULL)');
      await client.query('INSERT INTO notes VALUES ($1)', ['kept']);
    });

    // A second process (or a second start) must not open the same files.
    await assert.rejects(
      startEmbeddedPostgres({ dataDir, port: 0 }),
      EmbeddedDatabaseInUseError,
    );
  } finally {
    await first.stop();
  }

  const second = await startEmbeddedPostgres({ dataDir, port: 0 });
  try {
    const rows = await withClient(second.url, (client) =>
      client.query<{ body: string }>('SELECT body FROM notes'),
    );
    assert.deepEqual(rows.rows, [{ body: 'kept' }]);
  } finally {
    await second.stop();
  }
});

test('embedded postgres - serves ten clients with extensions', async () => {
  const server = await startEmbeddedPostgres({ dataDir: 'memory://', port: 0 });
  const clients = Array.from(
    { length: 10 },
    () => new pg.Client({ connectionString: server.url }),
  );
  try {
    await Promise.all(clients.map((client) => client.connect()));

    const results = await Promise.all(
      clients.map((client, index) =>
        client.query<{ value: number }>('SELECT $1::int AS value', [index]),
      ),
    );
    assert.deepEqual(
      results.map((result) => result.rows[0]?.value),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );

    const [first] = clients;
    assert.ok(first);
    await first.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await first.query('CREATE EXTENSION IF NOT EXISTS citext');
    const similarity = await first.query<{ score: number }>(
      "SELECT similarity('headphones', 'hedphones') AS score",
    );
    assert.ok((similarity.rows[0]?.score ?? 0) > 0.4);
    const citext = await first.query<{ equal: boolean }>(
      "SELECT 'Ann@X.test'::citext = 'ann@x.test'::citext AS equal",
    );
    assert.equal(citext.rows[0]?.equal, true);
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => {})));
    await server.stop();
  }
});

// Checkout relies on these patterns: parallel transactions, a conditional
// UPDATE that never takes stock below zero, and SELECT ... FOR UPDATE.
test('embedded postgres - prisma transactions keep stock consistent', async () => {
  const server = await startEmbeddedPostgres({ dataDir: 'memory://', port: 0 });
  const prisma = createPrismaClient(server.url, { poolSize: 10 });
  try {
    await applyMigrations(server.url);
    const category = await prisma.category.create({
      data: { slug: 'audio', name: 'Audio' },
    });
    const product = await prisma.product.create({
      data: {
        sku: 'HP-1',
        slug: 'headphones',
        name: 'Headphones',
        priceCents: 9900,
        stock: 5,
        status: 'active',
        categoryId: category.id,
      },
    });

    const attempts = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        prisma.$transaction(async (tx) => {
          await tx.$queryRaw`SELECT id FROM products WHERE id = ${product.id}::uuid FOR UPDATE`;
          const updated = await tx.product.updateMany({
            where: { id: product.id, stock: { gte: 1 } },
            data: { stock: { decrement: 1 } },
          });
          if (updated.count !== 1) throw new Error('out of stock');
        }),
      ),
    );
    const reads = await Promise.all(
      Array.from({ length: 20 }, () =>
        prisma.product.findUnique({ where: { id: product.id } }),
      ),
    );

    const succeeded = attempts.filter(
      (attempt) => attempt.status === 'fulfilled',
    ).length;
    assert.equal(succeeded, 5);
    const final = await prisma.product.findUniqueOrThrow({
      where: { id: product.id },
    });
    assert.equal(final.stock, 0);
    assert.ok(
      reads.every((row) => row?.id === product.id),
      'parallel reads return the product',
    );
  } finally {
    await prisma.$disconnect();
    await server.stop();
  }
});
