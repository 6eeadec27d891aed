import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';

import type { FastifyInstance } from 'fastify';

import type {
  Category,
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
let category: Category;
let product: Product;

before(async () => {
  ({ app, prisma, close } = await buildTestApp());
  admin = await createShopper(app, 'admin');
});

after(async () => {
  await close();
});

beforeEach(async () => {
  category = await createCategory(prisma);
  product = await createProduct(prisma, {
    categoryId: category.id,
    priceCents: 2000,
  });
});

function newProductBody(overrides: Record<string, unknown> = {}) {
  const suffix = Math.random().toString(36).slice(2, 10);
  return {
    sku: `ADM-${suffix}`,
    slug: `admin-product-${suffix}`,
    name: 'Walnut desk organiser',
    description: 'Three trays.\nOiled walnut.',
    priceCents: 4500,
    compareAtPriceCents: 5000,
    stock: 12,
    status: 'active',
    featured: true,
    categoryId: category.id,
    images: ['desk-organiser.svg'],
    ...overrides,
  };
}

function admins(options: Parameters<typeof send>[2]) {
  return send(app, admin, options);
}

// ---------------------------------------------------------------- products

test('admin products - lists every status with filters', async () => {
  const draft = await createProduct(prisma, {
    categoryId: category.id,
    status: 'draft',
    name: 'Quiet kettle',
  });
  const archived = await createProduct(prisma, {
    categoryId: category.id,
    status: 'archived',
  });

  const all = await admins({
    method: 'GET',
    url: `/api/admin/products?categoryId=${category.id}`,
  });
  const drafts = await admins({
    method: 'GET',
    url: `/api/admin/products?status=draft&categoryId=${category.id}`,
  });
  const search = await admins({
    method: 'GET',
    url: '/api/admin/products?q=quiet%20KETTLE',
  });

  assert.equal(all.statusCode, 200);
  const allIds = all
    .json()
    .items.map((item: { id: string }) => item.id)
    .sort();
  assert.deepEqual(allIds, [product.id, draft.id, archived.id].sort());
  assert.deepEqual(
    drafts.json().items.map((item: { id: string }) => item.id),
    [draft.id],
  );
  assert.deepEqual(
    search.json().items.map((item: { id: string }) => item.id),
    [draft.id],
  );
});

test('admin products - invalid list query is 400', async () => {
  for (const query of [
    'status=sold',
    'categoryId=abc',
    'limit=0',
    'featured=yes',
    'sort=price',
  ]) {
    const response = await admins({
      method: 'GET',
      url: `/api/admin/products?${query}`,
    });
    assert.equal(response.statusCode, 400, query);
  }
});

test('admin products - creates a product', async () => {
  const body = newProductBody();
  const response = await admins({
    method: 'POST',
    url: '/api/admin/products',
    payload: body,
  });

  assert.equal(response.statusCode, 201);
  const created = response.json();
  assert.equal(created.sku, body.sku);
  assert.equal(created.currency, 'EUR');
  assert.equal(created.category.id, category.id);
  assert.deepEqual(created.images, ['desk-organiser.svg']);
  const stored = await prisma.product.findUniqueOrThrow({
    where: { id: created.id },
  });
  assert.equal(stored.priceCents, 4500);
  assert.equal(stored.description, body.description);
});

test('admin products - new product shows in the catalog at once', async () => {
  const body = newProductBody();
  const listUrl = `/api/products?category=${category.slug}`;
  // Fill the catalog cache before the write.
  const cached = await send(app, null, { method: 'GET', url: listUrl });
  assert.equal(cached.json().total, 1);

  await admins({ method: 'POST', url: '/api/admin/products', payload: body });
  const fresh = await send(app, null, { method: 'GET', url: listUrl });

  assert.equal(fresh.json().total, 2);
});

test('admin products - duplicate SKU or slug is 409', async () => {
  const before = await prisma.product.count();

  const sameSku = await admins({
    method: 'POST',
    url: '/api/admin/products',
    payload: newProductBody({ sku: product.sku }),
  });
  const sameSlug = await admins({
    method: 'POST',
    url: '/api/admin/products',
    payload: newProductBody({ slug: product.slug }),
  });

  assert.equal(sameSku.statusCode, 409);
  assert.equal(sameSku.json().error.code, 'CONFLICT');
  assert.equal(sameSlug.statusCode, 409);
  assert.equal(await prisma.product.count(), before);
});

test('admin products - invalid bodies are 400 and change nothing', async () => {
  const before = await prisma.product.count();
  const { sku: _sku, ...withoutSku } = newProductBody();
  const bodies = [
    withoutSku,
    newProductBody({ priceCents: -1 }),
    newProductBody({ priceCents: 10_000_001 }),
    newProductBody({ priceCents: 12.5 }),
    newProductBody({ stock: -1 }),
    newProductBody({ stock: 1_000_001 }),
    newProductBody({ status: 'sold' }),
    newProductBody({ slug: 'Not A Slug' }),
    newProductBody({ sku: 'has space' }),
    newProductBody({ name: '' }),
    newProductBody({ name: 'x'.repeat(201) }),
    newProductBody({ description: 'x'.repeat(5001) }),
    newProductBody({ images: ['../../etc/passwd'] }),
    newProductBody({ images: ['a/b.svg'] }),
    newProductBody({ categoryId: 'nope' }),
    newProductBody({ currency: 'USD' }),
    newProductBody({ compareAtPriceCents: 4000 }),
    newProductBody({ categoryId: '00000000-0000-4000-8000-000000000000' }),
    newProductBody({ id: '00000000-0000-4000-8000-000000000000' }),
    newProductBody({ createdAt: '2020-01-01T00:00:00Z' }),
  ];

  for (const body of bodies) {
    const response = await admins({
      method: 'POST',
      url: '/api/admin/products',
      payload: body,
    });
    assert.equal(response.statusCode, 400, JSON.stringify(body).slice(0, 200));
  }
  assert.equal(await prisma.product.count(), before);
});

test('admin products - price and stock bounds are accepted', async () => {
  const response = await admins({
    method: 'POST',
    url: '/api/admin/products',
    payload: newProductBody({
      priceCents: 10_000_000,
      compareAtPriceCents: null,
      stock: 1_000_000,
    }),
  });

  assert.equal(response.statusCode, 201);
});

test('admin products - gets one by id', async () => {
  const found = await admins({
    method: 'GET',
    url: `/api/admin/products/${product.id}`,
  });
  const missing = await admins({
    method: 'GET',
    url: '/api/admin/products/00000000-0000-4000-8000-000000000000',
  });
  const invalid = await admins({
    method: 'GET',
    url: '/api/admin/products/42',
  });

  assert.equal(found.statusCode, 200);
  assert.equal(found.json().sku, product.sku);
  assert.equal(missing.statusCode, 404);
  assert.equal(invalid.statusCode, 400);
});

test('admin products - updates a subset of fields', async () => {
  const response = await admins({
    method: 'PATCH',
    url: `/api/admin/products/${product.id}`,
    payload: { priceCents: 1500, stock: 7 },
  });

  assert.equal(response.statusCode, 200);
  const stored = await prisma.product.findUniqueOrThrow({
    where: { id: product.id },
  });
  assert.equal(stored.priceCents, 1500);
  assert.equal(stored.stock, 7);
  assert.equal(stored.name, product.name);
});

test('admin products - update shows in the catalog at once', async () => {
  const url = `/api/products/${product.slug}`;
  assert.equal(
    (await send(app, null, { method: 'GET', url })).json().priceCents,
    2000,
  );

  await admins({
    method: 'PATCH',
    url: `/api/admin/products/${product.id}`,
    payload: { priceCents: 1234 },
  });

  assert.equal(
    (await send(app, null, { method: 'GET', url })).json().priceCents,
    1234,
  );
});

test('admin products - invalid updates are 400 or 409', async () => {
  const other = await createProduct(prisma, { categoryId: category.id });
  const cases: [object, number][] = [
    [{}, 400],
    [{ priceCents: -5 }, 400],
    [{ stock: 1_000_001 }, 400],
    [{ compareAtPriceCents: 1000 }, 400],
    [{ id: other.id }, 400],
    [{ updatedAt: '2020-01-01T00:00:00Z' }, 400],
    [{ sku: other.sku }, 409],
    [{ slug: other.slug }, 409],
  ];
  const before = await prisma.product.findUniqueOrThrow({
    where: { id: product.id },
  });

  for (const [payload, status] of cases) {
    const response = await admins({
      method: 'PATCH',
      url: `/api/admin/products/${product.id}`,
      payload,
    });
    assert.equal(response.statusCode, status, JSON.stringify(payload));
  }
  assert.deepEqual(
    await prisma.product.findUniqueOrThrow({ where: { id: product.id } }),
    before,
  );
});

test('admin products - update of unknown product is 404', async () => {
  const response = await admins({
    method: 'PATCH',
    url: '/api/admin/products/00000000-0000-4000-8000-000000000000',
    payload: { stock: 1 },
  });

  assert.equal(response.statusCode, 404);
});

test('admin products - archive hides the product from the shop', async () => {
  const response = await admins({
    method: 'POST',
    url: `/api/admin/products/${product.id}/archive`,
  });
  const publicView = await send(app, null, {
    method: 'GET',
    url: `/api/products/${product.slug}`,
  });

  assert.equal(response.statusCode, 200);
  assert.equal(response.json().status, 'archived');
  assert.equal(publicView.statusCode, 404);
});

// -------------------------------------------------------------- categories

test('admin categories - lists every category flat', async () => {
  const child = await createCategory(prisma, {
    parentId: category.id,
    active: false,
  });

  const response = await admins({
    method: 'GET',
    url: '/api/admin/categories',
  });
  const items: { id: string; parentId: string | null; active: boolean }[] =
    response.json().items;

  assert.equal(response.statusCode, 200);
  const listedChild = items.find((item) => item.id === child.id);
  assert.equal(listedChild?.parentId, category.id);
  assert.equal(listedChild?.active, false);
});

test('admin categories - creates a subcategory', async () => {
  const response = await admins({
    method: 'POST',
    url: '/api/admin/categories',
    payload: {
      slug: `lamps-${category.id.slice(0, 8)}`,
      name: 'Lamps',
      parentId: category.id,
      sortOrder: 3,
    },
  });

  assert.equal(response.statusCode, 201);
  assert.equal(response.json().parentId, category.id);
  assert.equal(response.json().active, true);
  assert.equal(response.json().sortOrder, 3);
});

test('admin categories - invalid bodies are 400 or 409', async () => {
  const before = await prisma.category.count();
  const cases: [object, number][] = [
    [{ name: 'No slug' }, 400],
    [{ slug: 'Bad Slug', name: 'X' }, 400],
    [{ slug: 'ok-slug', name: '' }, 400],
    [{ slug: 'ok-slug', name: 'X', sortOrder: 1.5 }, 400],
    [
      {
        slug: 'ok-slug',
        name: 'X',
        parentId: '00000000-0000-4000-8000-000000000000',
      },
      400,
    ],
    [{ slug: 'ok-slug', name: 'X', id: category.id }, 400],
    [{ slug: category.slug, name: 'Duplicate' }, 409],
  ];

  for (const [payload, status] of cases) {
    const response = await admins({
      method: 'POST',
      url: '/api/admin/categories',
      payload,
    });
    assert.equal(response.statusCode, status, JSON.stringify(payload));
  }
  assert.equal(await prisma.category.count(), before);
});

test('admin categories - updates name and parent', async () => {
  const parent = await createCategory(prisma);

  const response = await admins({
    method: 'PATCH',
    url: `/api/admin/categories/${category.id}`,
    payload: { name: 'Renamed', parentId: parent.id },
  });

  assert.equal(response.statusCode, 200);
  const stored = await prisma.category.findUniqueOrThrow({
    where: { id: category.id },
  });
  assert.equal(stored.name, 'Renamed');
  assert.equal(stored.parentId, parent.id);
});

test('admin categories - parent cycle is 409', async () => {
  const child = await createCategory(prisma, { parentId: category.id });
  const grandchild = await createCategory(prisma, { parentId: child.id });

  for (const parentId of [category.id, child.id, grandchild.id]) {
    const response = await admins({
      method: 'PATCH',
      url: `/api/admin/categories/${category.id}`,
      payload: { parentId },
    });
    assert.equal(response.statusCode, 409, parentId);
  }
  const stored = await prisma.category.findUniqueOrThrow({
    where: { id: category.id },
  });
  assert.equal(stored.parentId, null);
});

test('admin categories - moving to the root is allowed', async () => {
  const child = await createCategory(prisma, { parentId: category.id });

  const response = await admins({
    method: 'PATCH',
    url: `/api/admin/categories/${child.id}`,
    payload: { parentId: null },
  });

  assert.equal(response.statusCode, 200);
  assert.equal(response.json().parentId, null);
});

test('admin categories - unknown category is 404', async () => {
  const unknown = '00000000-0000-4000-8000-000000000000';
  const update = await admins({
    method: 'PATCH',
    url: `/api/admin/categories/${unknown}`,
    payload: { name: 'X' },
  });
  const archive = await admins({
    method: 'POST',
    url: `/api/admin/categories/${unknown}/archive`,
  });

  assert.equal(update.statusCode, 404);
  assert.equal(archive.statusCode, 404);
});

test('admin categories - archive hides it from the tree', async () => {
  const tree = async () =>
    (await send(app, null, { method: 'GET', url: '/api/categories' }))
      .json()
      .items.map((node: { slug: string }) => node.slug);
  assert.ok((await tree()).includes(category.slug));

  const response = await admins({
    method: 'POST',
    url: `/api/admin/categories/${category.id}/archive`,
  });

  assert.equal(response.statusCode, 200);
  assert.equal(response.json().active, false);
  assert.ok(!(await tree()).includes(category.slug));
});
