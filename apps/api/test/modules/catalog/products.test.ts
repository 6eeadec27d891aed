import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import type { FastifyInstance } from 'fastify';

import type { PrismaClient } from '../../../src/generated/prisma/client.js';
import { invalidateCatalogCache } from '../../../src/modules/catalog/cache.js';
import { PUBLIC_CACHE_CONTROL } from '../../../src/modules/catalog/cache-control.js';
import { buildTestApp, bypassHeaders } from '../../helpers/app.js';
import { createCategory, createProduct } from '../../helpers/catalog.js';

let app: FastifyInstance;
let prisma: PrismaClient;
let close: () => Promise<void>;

interface Summary {
  slug: string;
  name: string;
  priceCents: number;
  stock: number;
  featured: boolean;
}

const ACTIVE_SLUGS = ['anvil', 'bucket', 'candle', 'drum', 'easel'];

// Five active products with distinct prices, names and creation times,
// plus a draft and an archived one that must never appear.
before(async () => {
  ({ app, prisma, close } = await buildTestApp());

  const tools = await createCategory(prisma, { slug: 'tools', name: 'Tools' });
  const hammers = await createCategory(prisma, {
    slug: 'hammers',
    name: 'Hammers',
    parentId: tools.id,
  });
  const garden = await createCategory(prisma, {
    slug: 'garden',
    name: 'Garden',
  });

  const rows = [
    {
      slug: 'anvil',
      priceCents: 5000,
      stock: 3,
      featured: true,
      day: 1,
      categoryId: hammers.id,
    },
    {
      slug: 'bucket',
      priceCents: 1500,
      stock: 0,
      featured: false,
      day: 4,
      categoryId: garden.id,
    },
    {
      slug: 'candle',
      priceCents: 500,
      stock: 12,
      featured: false,
      day: 2,
      categoryId: garden.id,
    },
    {
      slug: 'drum',
      priceCents: 9900,
      stock: 1,
      featured: true,
      day: 5,
      categoryId: tools.id,
    },
    {
      slug: 'easel',
      priceCents: 2500,
      stock: 0,
      featured: false,
      day: 3,
      categoryId: tools.id,
    },
  ];
  for (const row of rows) {
    await createProduct(prisma, {
      slug: row.slug,
      name: row.slug[0]!.toUpperCase() + row.slug.slice(1),
      priceCents: row.priceCents,
      stock: row.stock,
      featured: row.featured,
      categoryId: row.categoryId,
      createdAt: new Date(Date.UTC(2026, 0, row.day)),
    });
  }

  await createProduct(prisma, {
    slug: 'draft-lamp',
    status: 'draft',
    featured: true,
    categoryId: tools.id,
  });
  await createProduct(prisma, {
    slug: 'archived-lamp',
    status: 'archived',
    categoryId: garden.id,
  });
});

after(async () => {
  await close();
});

// The bypass header keeps the per-IP rate limit out of these tests.
function get(url: string, headers: Record<string, string> = {}) {
  return app.inject({ url, headers: { ...bypassHeaders(app), ...headers } });
}

async function listSlugs(query: string): Promise<string[]> {
  const response = await get(`/api/products${query}`);
  assert.equal(response.statusCode, 200, query);

  return response.json().items.map((item: Summary) => item.slug);
}

test('product list - only active products', async () => {
  const response = await get('/api/products');
  const body = response.json();

  assert.equal(response.statusCode, 200);
  assert.deepEqual(
    body.items.map((item: Summary) => item.slug).sort(),
    ACTIVE_SLUGS,
  );
  assert.equal(body.total, 5);
});

test('product list - default page and limit', async () => {
  const body = (await get('/api/products')).json();

  assert.equal(body.page, 1);
  assert.equal(body.limit, 20);
  assert.equal(body.totalPages, 1);
});

test('product list - paginates without overlap', async () => {
  const pages = [];
  for (const page of [1, 2, 3]) {
    const response = await get(
      `/api/products?limit=2&page=${page}&sort=name_asc`,
    );
    pages.push(response.json());
  }

  assert.deepEqual(
    pages[0].items.map((item: Summary) => item.slug),
    ['anvil', 'bucket'],
  );
  assert.deepEqual(
    pages[1].items.map((item: Summary) => item.slug),
    ['candle', 'drum'],
  );
  assert.deepEqual(
    pages[2].items.map((item: Summary) => item.slug),
    ['easel'],
  );
  assert.equal(pages[0].total, 5);
  assert.equal(pages[0].totalPages, 3);
});

test('product list - page past the end is empty', async () => {
  const body = (await get('/api/products?page=9')).json();

  assert.deepEqual(body.items, []);
  assert.equal(body.total, 5);
});

test('product list - sort orders', async () => {
  assert.deepEqual(await listSlugs('?sort=price_asc'), [
    'candle',
    'bucket',
    'easel',
    'anvil',
    'drum',
  ]);
  assert.deepEqual(await listSlugs('?sort=price_desc'), [
    'drum',
    'anvil',
    'easel',
    'bucket',
    'candle',
  ]);
  assert.deepEqual(await listSlugs('?sort=name_asc'), [
    'anvil',
    'bucket',
    'candle',
    'drum',
    'easel',
  ]);
  assert.deepEqual(await listSlugs('?sort=name_desc'), [
    'easel',
    'drum',
    'candle',
    'bucket',
    'anvil',
  ]);
  assert.deepEqual(await listSlugs('?sort=newest'), [
    'drum',
    'bucket',
    'easel',
    'candle',
    'anvil',
  ]);
});

test('product list - featured=true only featured', async () => {
  assert.deepEqual(await listSlugs('?featured=true&sort=name_asc'), [
    'anvil',
    'drum',
  ]);
});

test('product list - featured=false excludes featured', async () => {
  assert.deepEqual(await listSlugs('?featured=false&sort=name_asc'), [
    'bucket',
    'candle',
    'easel',
  ]);
});

test('product list - inStock filter both ways', async () => {
  assert.deepEqual(await listSlugs('?inStock=true&sort=name_asc'), [
    'anvil',
    'candle',
    'drum',
  ]);
  assert.deepEqual(await listSlugs('?inStock=false&sort=name_asc'), [
    'bucket',
    'easel',
  ]);
});

test('product list - price range is inclusive cents', async () => {
  assert.deepEqual(
    await listSlugs('?minPrice=1500&maxPrice=5000&sort=price_asc'),
    ['bucket', 'easel', 'anvil'],
  );
  assert.deepEqual(await listSlugs('?minPrice=5001&sort=price_asc'), ['drum']);
  assert.deepEqual(await listSlugs('?maxPrice=500'), ['candle']);
});

test('product list - category includes subcategories', async () => {
  assert.deepEqual(await listSlugs('?category=tools&sort=name_asc'), [
    'anvil',
    'drum',
    'easel',
  ]);
  assert.deepEqual(await listSlugs('?category=hammers'), ['anvil']);
});

test('product list - unknown category is empty', async () => {
  assert.deepEqual(await listSlugs('?category=no-such-category'), []);
});

test('product list - filters combine', async () => {
  assert.deepEqual(
    await listSlugs('?category=tools&featured=false&inStock=false'),
    ['easel'],
  );
});

test('product list - summary has only contract fields', async () => {
  const [item] = (await get('/api/products?limit=1')).json().items;

  assert.deepEqual(Object.keys(item).sort(), [
    'category',
    'compareAtPriceCents',
    'currency',
    'featured',
    'id',
    'imageUrl',
    'inStock',
    'name',
    'priceCents',
    'sku',
    'slug',
    'stock',
  ]);
  assert.deepEqual(Object.keys(item.category).sort(), ['name', 'slug']);
  assert.match(item.imageUrl, /^\/api\/images\/products\/[^/]+\.svg$/);
});

test('product list - public Cache-Control', async () => {
  const response = await get('/api/products');

  assert.equal(response.headers['cache-control'], PUBLIC_CACHE_CONTROL);
});

test('product list - rejects invalid query', async () => {
  const cases: [string, string][] = [
    ['?page=0', 'query.page'],
    ['?page=abc', 'query.page'],
    ['?page=1&page=2', 'query.page'],
    ['?page=10001', 'query.page'],
    ['?limit=0', 'query.limit'],
    ['?limit=101', 'query.limit'],
    ['?limit=1.5', 'query.limit'],
    ['?limit=-1', 'query.limit'],
    ['?limit=1e2', 'query.limit'],
    ['?featured=yes', 'query.featured'],
    ['?featured=', 'query.featured'],
    ['?featured=TRUE', 'query.featured'],
    ['?inStock=1', 'query.inStock'],
    ['?minPrice=-5', 'query.minPrice'],
    ['?maxPrice=99999999999', 'query.maxPrice'],
    ['?minPrice=500&maxPrice=100', 'query.minPrice'],
    ['?sort=price', 'query.sort'],
    ['?category=Tools', 'query.category'],
    ['?category[not]=x', 'query.category[not]'],
    ['?category=a&category=b', 'query.category'],
    ['?status=draft', 'query.status'],
    ['?unknown=1', 'query.unknown'],
  ];

  for (const [query, path] of cases) {
    const response = await get(`/api/products${query}`);
    const error = response.json().error;

    assert.equal(response.statusCode, 400, query);
    assert.equal(error.code, 'VALIDATION_FAILED', query);
    assert.ok(
      error.details.some((detail: { path: string }) => detail.path === path),
      `${query} names ${path}`,
    );
    assert.notEqual(
      response.headers['cache-control'],
      PUBLIC_CACHE_CONTROL,
      query,
    );
  }
});

test('product page - active product by slug', async () => {
  const response = await get('/api/products/anvil');
  const body = response.json();

  assert.equal(response.statusCode, 200);
  assert.equal(body.slug, 'anvil');
  assert.equal(body.priceCents, 5000);
  assert.equal(body.status, 'active');
  assert.deepEqual(body.category, { slug: 'hammers', name: 'Hammers' });
  assert.equal(response.headers['cache-control'], PUBLIC_CACHE_CONTROL);
});

test('product page - has only contract fields', async () => {
  const body = (await get('/api/products/anvil')).json();

  assert.deepEqual(Object.keys(body).sort(), [
    'category',
    'compareAtPriceCents',
    'currency',
    'description',
    'featured',
    'id',
    'imageUrl',
    'images',
    'inStock',
    'name',
    'priceCents',
    'sku',
    'slug',
    'status',
    'stock',
  ]);
  assert.ok(body.images.every((url: string) => url.startsWith('/api/images/')));
});

test('product page - draft and archived are 404', async () => {
  for (const slug of ['draft-lamp', 'archived-lamp', 'no-such-product']) {
    const response = await get(`/api/products/${slug}`);

    assert.equal(response.statusCode, 404, slug);
    assert.equal(response.json().error.code, 'NOT_FOUND', slug);
    assert.notEqual(
      response.headers['cache-control'],
      PUBLIC_CACHE_CONTROL,
      slug,
    );
  }
});

test('product page - rejects unknown query key', async () => {
  const response = await get('/api/products/anvil?preview=true');

  assert.equal(response.statusCode, 400);
});

test('product page - malformed slug is 400', async () => {
  for (const slug of ["anvil'--", 'ANVIL', 'a-', 'a_b', 'a%00b']) {
    const response = await get(`/api/products/${slug}`);

    assert.equal(response.statusCode, 400, slug);
  }
});

test('product page - overlong slug is rejected', async () => {
  const response = await get(`/api/products/${'a'.repeat(200)}`);

  // Fastify's router rejects path parameters over 100 characters.
  assert.equal(response.statusCode, 414);
  assert.equal(response.json().error.code, 'VALIDATION_FAILED');
});

test('catalog cache - serves product until invalidated', async () => {
  await get('/api/products/candle');
  await prisma.product.update({
    where: { slug: 'candle' },
    data: { priceCents: 777 },
  });

  const cached = (await get('/api/products/candle')).json();
  await invalidateCatalogCache(app.cache);
  const fresh = (await get('/api/products/candle')).json();

  assert.equal(cached.priceCents, 500);
  assert.equal(fresh.priceCents, 777);

  await prisma.product.update({
    where: { slug: 'candle' },
    data: { priceCents: 500 },
  });
  await invalidateCatalogCache(app.cache);
});

test('catalog cache - invalidation hides archived product', async () => {
  await get('/api/products?sort=price_asc');
  await prisma.product.update({
    where: { slug: 'bucket' },
    data: { status: 'archived' },
  });
  await invalidateCatalogCache(app.cache);

  const slugs = await listSlugs('?sort=price_asc');
  const page = await get('/api/products/bucket');

  assert.ok(!slugs.includes('bucket'));
  assert.equal(page.statusCode, 404);

  await prisma.product.update({
    where: { slug: 'bucket' },
    data: { status: 'active' },
  });
  await invalidateCatalogCache(app.cache);
});

test('product page - no public caching with credentials', async () => {
  const response = await get('/api/products/anvil', {
    authorization: 'Bearer not-checked-on-public-routes',
  });

  assert.equal(response.statusCode, 200);
  assert.notEqual(response.headers['cache-control'], PUBLIC_CACHE_CONTROL);
});

test('product page - image URLs stay in the image folder', async () => {
  const category = await prisma.category.findUniqueOrThrow({
    where: { slug: 'garden' },
  });
  await createProduct(prisma, {
    slug: 'odd-image',
    images: ['//elsewhere.example/x.svg', '../secret.svg'],
    categoryId: category.id,
  });

  const body = (await get('/api/products/odd-image')).json();

  assert.equal(
    body.imageUrl,
    '/api/images/products/%2F%2Felsewhere.example%2Fx.svg',
  );
  assert.deepEqual(body.images, [
    '/api/images/products/%2F%2Felsewhere.example%2Fx.svg',
    '/api/images/products/..%2Fsecret.svg',
  ]);

  await prisma.product.delete({ where: { slug: 'odd-image' } });
});
