import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import type { FastifyInstance } from 'fastify';

import type { PrismaClient } from '../../../src/generated/prisma/client.js';
import { PUBLIC_CACHE_CONTROL } from '../../../src/modules/catalog/cache-control.js';
import { buildTestApp, bypassHeaders } from '../../helpers/app.js';
import { createCategory, createProduct } from '../../helpers/catalog.js';

let app: FastifyInstance;
let prisma: PrismaClient;
let close: () => Promise<void>;

interface TreeNode {
  slug: string;
  children: TreeNode[];
}

// Tree used by every test:
//   books (0), kitchen (0), audio (1) > headphones > in-ear
//   hidden (inactive, 2) > hidden-child (active)
//   audio > retired (inactive)
before(async () => {
  ({ app, prisma, close } = await buildTestApp());

  const audio = await createCategory(prisma, {
    slug: 'audio',
    name: 'Audio',
    sortOrder: 1,
  });
  await createCategory(prisma, { slug: 'kitchen', name: 'Kitchen' });
  await createCategory(prisma, { slug: 'books', name: 'Books' });
  const headphones = await createCategory(prisma, {
    slug: 'headphones',
    name: 'Headphones',
    parentId: audio.id,
  });
  const inEar = await createCategory(prisma, {
    slug: 'in-ear',
    name: 'In-ear',
    parentId: headphones.id,
  });
  await createCategory(prisma, {
    slug: 'retired',
    name: 'Retired',
    parentId: audio.id,
    active: false,
  });
  const hidden = await createCategory(prisma, {
    slug: 'hidden',
    name: 'Hidden',
    sortOrder: 2,
    active: false,
  });
  await createCategory(prisma, {
    slug: 'hidden-child',
    name: 'Hidden child',
    parentId: hidden.id,
  });

  await createProduct(prisma, {
    slug: 'speaker',
    name: 'Speaker',
    priceCents: 3000,
    categoryId: audio.id,
  });
  await createProduct(prisma, {
    slug: 'over-ear',
    name: 'Over-ear',
    priceCents: 1000,
    categoryId: headphones.id,
  });
  await createProduct(prisma, {
    slug: 'earbuds',
    name: 'Earbuds',
    priceCents: 2000,
    categoryId: inEar.id,
  });
  await createProduct(prisma, {
    slug: 'draft-earbuds',
    status: 'draft',
    categoryId: inEar.id,
  });
  await createProduct(prisma, {
    slug: 'archived-speaker',
    status: 'archived',
    categoryId: audio.id,
  });
});

after(async () => {
  await close();
});

// The bypass header keeps the per-IP rate limit out of these tests.
function get(url: string, headers: Record<string, string> = {}) {
  return app.inject({ url, headers: { ...bypassHeaders(app), ...headers } });
}

function slugsOf(nodes: { slug: string }[]): string[] {
  return nodes.map((node) => node.slug);
}

test('category tree - roots ordered by sortOrder then name', async () => {
  const response = await get('/api/categories');

  assert.equal(response.statusCode, 200);
  assert.deepEqual(slugsOf(response.json().items), [
    'books',
    'kitchen',
    'audio',
  ]);
});

test('category tree - nests subcategories at any depth', async () => {
  const items: TreeNode[] = (await get('/api/categories')).json().items;
  const audio = items.find((node) => node.slug === 'audio');

  assert.deepEqual(slugsOf(audio?.children ?? []), ['headphones']);
  assert.deepEqual(slugsOf(audio?.children[0]?.children ?? []), ['in-ear']);
});

test('category tree - hides inactive categories and their subtree', async () => {
  const body = (await get('/api/categories')).body;

  assert.ok(!body.includes('"hidden"'));
  assert.ok(!body.includes('hidden-child'));
  assert.ok(!body.includes('retired'));
});

test('category tree - node has only the contract fields', async () => {
  const [first] = (await get('/api/categories')).json().items;

  assert.deepEqual(Object.keys(first).sort(), [
    'children',
    'description',
    'id',
    'name',
    'slug',
  ]);
});

test('category tree - public Cache-Control', async () => {
  const response = await get('/api/categories');

  assert.equal(response.headers['cache-control'], PUBLIC_CACHE_CONTROL);
});

test('category tree - rejects query parameters', async () => {
  const response = await get('/api/categories?depth=1');

  assert.equal(response.statusCode, 400);
});

test('category page - includes products of all subcategories', async () => {
  const response = await get('/api/categories/audio');
  const body = response.json();

  assert.equal(response.statusCode, 200);
  assert.deepEqual(slugsOf(body.products.items).sort(), [
    'earbuds',
    'over-ear',
    'speaker',
  ]);
  assert.equal(body.products.total, 3);
});

test('category page - leaf category lists only its products', async () => {
  const body = (await get('/api/categories/in-ear')).json();

  assert.deepEqual(slugsOf(body.products.items), ['earbuds']);
});

test('category page - parent and active children', async () => {
  const body = (await get('/api/categories/headphones')).json();

  assert.deepEqual(body.category.parent, { slug: 'audio', name: 'Audio' });
  assert.deepEqual(body.category.children, [
    { slug: 'in-ear', name: 'In-ear' },
  ]);
});

test('category page - root has null parent', async () => {
  const body = (await get('/api/categories/audio')).json();

  assert.equal(body.category.parent, null);
  assert.deepEqual(slugsOf(body.category.children), ['headphones']);
});

test('category page - paginates with totals', async () => {
  const first = (
    await get('/api/categories/audio?limit=2&sort=price_asc')
  ).json().products;
  const second = (
    await get('/api/categories/audio?limit=2&page=2&sort=price_asc')
  ).json().products;

  assert.deepEqual(slugsOf(first.items), ['over-ear', 'earbuds']);
  assert.deepEqual(slugsOf(second.items), ['speaker']);
  assert.equal(first.total, 3);
  assert.equal(first.totalPages, 2);
  assert.equal(second.page, 2);
  assert.equal(second.limit, 2);
});

test('category page - sorts by price descending', async () => {
  const body = (await get('/api/categories/audio?sort=price_desc')).json();

  assert.deepEqual(slugsOf(body.products.items), [
    'speaker',
    'earbuds',
    'over-ear',
  ]);
});

test('category page - unknown slug is 404', async () => {
  const response = await get('/api/categories/no-such-thing');

  assert.equal(response.statusCode, 404);
  assert.equal(response.json().error.code, 'NOT_FOUND');
  assert.notEqual(response.headers['cache-control'], PUBLIC_CACHE_CONTROL);
});

test('category page - inactive category is 404', async () => {
  for (const slug of ['hidden', 'hidden-child', 'retired']) {
    const response = await get(`/api/categories/${slug}`);

    assert.equal(response.statusCode, 404, slug);
  }
});

test('category page - rejects invalid input', async () => {
  const cases: [string, string][] = [
    ['/api/categories/audio?limit=0', 'query.limit'],
    ['/api/categories/audio?page=x', 'query.page'],
    ['/api/categories/audio?sort=cheapest', 'query.sort'],
    ['/api/categories/audio?featured=true', 'query.featured'],
    ['/api/categories/audio?page=1&page=2', 'query.page'],
    ['/api/categories/Audio%20OR%201=1', 'params.slug'],
  ];

  for (const [url, path] of cases) {
    const response = await get(url);
    const error = response.json().error;

    assert.equal(response.statusCode, 400, url);
    assert.equal(error.code, 'VALIDATION_FAILED', url);
    assert.ok(
      error.details.some((detail: { path: string }) => detail.path === path),
      `${url} names ${path}`,
    );
  }
});
