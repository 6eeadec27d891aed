import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import bcrypt from 'bcrypt';

import { createPrismaClient } from '../../src/db/client.js';
import { seedDatabase, type SeedResult } from '../../src/db/seed.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { productImagesDir } from '../../src/modules/images/routes.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;
let prisma: PrismaClient;
let withoutAccounts: SeedResult;
let first: SeedResult;
let second: SeedResult;

async function tableCounts() {
  return {
    categories: await prisma.category.count(),
    products: await prisma.product.count(),
    users: await prisma.user.count(),
  };
}

let countsAfterFirst: Awaited<ReturnType<typeof tableCounts>>;

before(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient(database.url, { poolSize: 2 });

  withoutAccounts = await seedDatabase(prisma, { withDevAccounts: false });
  first = await seedDatabase(prisma, { withDevAccounts: true });
  countsAfterFirst = await tableCounts();
  second = await seedDatabase(prisma, { withDevAccounts: true });
});

after(async () => {
  await prisma?.$disconnect();
  await database?.drop();
});

test('seed - second run adds no rows', async () => {
  const countsAfterSecond = await tableCounts();

  assert.deepEqual(countsAfterSecond, countsAfterFirst);
  assert.equal(second.products, first.products);
  assert.equal(second.categories, first.categories);
});

test('seed - second run keeps changed stock', async () => {
  const product = await prisma.product.findFirstOrThrow({
    where: { status: 'active' },
  });
  await prisma.product.update({
    where: { id: product.id },
    data: { stock: 3 },
  });

  await seedDatabase(prisma, { withDevAccounts: false });

  const after = await prisma.product.findUniqueOrThrow({
    where: { id: product.id },
  });
  assert.equal(after.stock, 3);
});

test('seed - categories form two levels', async () => {
  const categories = await prisma.category.findMany({
    include: { parent: true },
  });
  const topLevel = categories.filter((category) => category.parentId === null);
  const children = categories.filter((category) => category.parentId !== null);

  assert.ok(categories.length >= 10, `${categories.length} categories`);
  assert.ok(topLevel.length >= 2, `${topLevel.length} top-level categories`);
  assert.ok(children.length >= 2, `${children.length} subcategories`);
  assert.ok(
    children.every((child) => child.parent?.parentId === null),
    'every subcategory hangs under a top-level category',
  );
});

test('seed - catalog has active, draft, archived, featured products', async () => {
  const active = await prisma.product.count({ where: { status: 'active' } });
  const drafts = await prisma.product.count({ where: { status: 'draft' } });
  const archived = await prisma.product.count({
    where: { status: 'archived' },
  });
  const featured = await prisma.product.count({
    where: { status: 'active', featured: true },
  });

  assert.ok(active >= 60, `${active} active products`);
  assert.ok(drafts >= 1, `${drafts} drafts`);
  assert.ok(archived >= 1, `${archived} archived`);
  assert.ok(featured >= 3, `${featured} featured`);
});

test('seed - products have valid prices, stock and images', async () => {
  const products = await prisma.product.findMany();

  for (const product of products) {
    assert.ok(
      Number.isInteger(product.priceCents),
      `${product.sku} price is whole cents`,
    );
    assert.ok(product.priceCents > 0, `${product.sku} price is positive`);
    assert.ok(product.stock >= 0, product.sku);
    assert.equal(product.currency, 'EUR', product.sku);
    assert.ok(product.description.length >= 20, `${product.sku} description`);
    if (product.compareAtPriceCents !== null) {
      assert.ok(
        product.compareAtPriceCents > product.priceCents,
        `${product.sku} compare-at price`,
      );
    }
    assert.ok(product.images.length >= 1, `${product.sku} has an image`);
    for (const image of product.images) {
      await access(join(productImagesDir, image));
    }
  }
});

test('seed - without dev accounts creates no user', () => {
  assert.deepEqual(withoutAccounts.accounts, []);
});

test('seed - dev accounts log in with printed passwords', async () => {
  const roles = second.accounts.map((account) => account.role).sort();
  assert.deepEqual(roles, ['admin', 'customer']);

  for (const account of second.accounts) {
    const user = await prisma.user.findUniqueOrThrow({
      where: { email: account.email },
    });
    assert.equal(user.role, account.role);
    assert.ok(
      Buffer.byteLength(account.password) >= 12,
      `${account.email} password length`,
    );
    assert.equal(bcrypt.getRounds(user.passwordHash), 12);
    assert.equal(
      await bcrypt.compare(account.password, user.passwordHash),
      true,
    );
  }
});
