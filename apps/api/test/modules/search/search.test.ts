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

before(async () => {
  ({ app, prisma, close } = await buildTestApp());

  const category = await createCategory(prisma, { slug: 'home', name: 'Home' });
  const products = [
    {
      slug: 'studio-headphones',
      name: 'Studio Headphones',
      description: 'Closed-back monitoring for long sessions.',
    },
    {
      slug: 'cable-organizer',
      name: 'Cable Organizer',
      description: 'Keeps headphones and chargers tidy on the desk.',
    },
    {
      slug: 'cotton-tee',
      name: '100% Cotton Tee',
      description: 'Soft shirt for every day.',
    },
    {
      slug: 'snake-case-mug',
      name: 'snake_case Mug',
      description: 'A mug for programmers.',
    },
    {
      slug: 'oak-desk-lamp',
      name: 'Oak Desk Lamp',
      description: 'Warm light with a linen shade.',
    },
    {
      slug: 'linen-shade',
      name: 'Linen Shade',
      description: 'Replacement shade that fits any lamp base.',
    },
  ];
  for (const product of products) {
    await createProduct(prisma, { ...product, categoryId: category.id });
  }

  await createProduct(prisma, {
    slug: 'draft-headphones',
    name: 'Draft Headphones',
    status: 'draft',
    categoryId: category.id,
  });
  await createProduct(prisma, {
    slug: 'archived-headphones',
    name: 'Archived Headphones',
    status: 'archived',
    categoryId: category.id,
  });

  // Ten lamps, more than the suggestion limit of eight.
  for (let index = 1; index <= 10; index += 1) {
    await createProduct(prisma, {
      slug: `lampshade-${index}`,
      name: `Lampshade ${index}`,
      categoryId: category.id,
    });
  }
});

after(async () => {
  await close();
});

// The bypass header keeps the per-IP rate limit out of these tests.
function get(path: string, query: Record<string, string> = {}) {
  return app.inject({ url: path, query, headers: bypassHeaders(app) });
}

async function searchSlugs(q: string): Promise<string[]> {
  const response = await get('/api/search', { q, limit: '100' });
  assert.equal(response.statusCode, 200, q);

  return response.json().items.map((item: { slug: string }) => item.slug);
}

test('search - finds product by name', async () => {
  const slugs = await searchSlugs('headphones');

  assert.ok(slugs.includes('studio-headphones'));
});

test('search - name match ranks above description match', async () => {
  const slugs = await searchSlugs('headphones');

  assert.deepEqual(slugs, ['studio-headphones', 'cable-organizer']);
});

test('search - lamp in name before lamp in description', async () => {
  const slugs = await searchSlugs('desk lamp');

  assert.equal(slugs[0], 'oak-desk-lamp');
});

test('search - tolerates a typo', async () => {
  const slugs = await searchSlugs('hedphones');

  assert.equal(slugs[0], 'studio-headphones');
});

test('search - is case insensitive', async () => {
  const slugs = await searchSlugs('STUDIO');

  assert.deepEqual(slugs, ['studio-headphones']);
});

test('search - hides draft and archived products', async () => {
  const slugs = await searchSlugs('headphones');

  assert.ok(!slugs.includes('draft-headphones'));
  assert.ok(!slugs.includes('archived-headphones'));
});

test('search - unrelated text finds nothing', async () => {
  const body = (await get('/api/search', { q: 'zzqqxx' })).json();

  assert.deepEqual(body.items, []);
  assert.equal(body.total, 0);
});

test('search - paginates with totals', async () => {
  const first = (
    await get('/api/search', { q: 'lampshade', limit: '4' })
  ).json();
  const third = (
    await get('/api/search', { q: 'lampshade', limit: '4', page: '3' })
  ).json();
  const beyond = (
    await get('/api/search', { q: 'lampshade', limit: '4', page: '9' })
  ).json();

  assert.equal(first.items.length, 4);
  assert.equal(first.total, 10);
  assert.equal(first.totalPages, 3);
  assert.equal(third.items.length, 2);
  assert.deepEqual(beyond.items, []);
  assert.equal(beyond.total, 10);
});

test('search - result has only summary fields', async () => {
  const [item] = (await get('/api/search', { q: 'studio' })).json().items;

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
});

test('search - public Cache-Control', async () => {
  const response = await get('/api/search', { q: 'lamp' });

  assert.equal(response.headers['cache-control'], PUBLIC_CACHE_CONTROL);
});

test('search - wildcards match literally', async () => {
  assert.deepEqual(await searchSlugs('%'), ['cotton-tee']);
  assert.deepEqual(await searchSlugs('_'), ['snake-case-mug']);
  assert.deepEqual(await searchSlugs('\\'), []);
});

test('search - injection-shaped text is harmless', async () => {
  const productCount = await prisma.product.count();
  const activeCount = await prisma.product.count({
    where: { status: 'active' },
  });
  const inputs = [
    "' OR 1=1--",
    "'; DROP TABLE products; --",
    '" OR ""="',
    "headphones' UNION SELECT id FROM users--",
    "\\'",
    '%%',
    '%_%',
  ];

  // Fuzzy matching may find a product for words such as OR, but no input
  // may turn into a condition that matches every product.
  for (const q of inputs) {
    const response = await get('/api/search', { q });
    const suggest = await get('/api/search/suggest', { q });

    assert.equal(response.statusCode, 200, q);
    assert.ok(response.json().total < activeCount, q);
    assert.equal(suggest.statusCode, 200, q);
    assert.ok(suggest.json().items.length < 8, q);
  }
  assert.deepEqual(await searchSlugs("' OR 1=1--"), []);
  assert.equal(await prisma.product.count(), productCount);
});

test('search - rejects invalid query', async () => {
  const cases: [Record<string, string> | string, string][] = [
    [{}, 'query.q'],
    [{ q: '' }, 'query.q'],
    [{ q: '   ' }, 'query.q'],
    [{ q: 'a'.repeat(101) }, 'query.q'],
    [{ q: 'lamp\u0000' }, 'query.q'],
    [{ q: 'lamp', page: '0' }, 'query.page'],
    [{ q: 'lamp', limit: '101' }, 'query.limit'],
    [{ q: 'lamp', sort: 'price_asc' }, 'query.sort'],
    ['q=lamp&q=desk', 'query.q'],
    ['q[$ne]=x', 'query.q[$ne]'],
  ];

  for (const [query, path] of cases) {
    const response =
      typeof query === 'string'
        ? await app.inject({
            url: `/api/search?${query}`,
            headers: bypassHeaders(app),
          })
        : await get('/api/search', query);
    const error = response.json().error;

    assert.equal(response.statusCode, 400, JSON.stringify(query));
    assert.equal(error.code, 'VALIDATION_FAILED');
    assert.ok(
      error.details.some((detail: { path: string }) => detail.path === path),
      `${JSON.stringify(query)} names ${path}`,
    );
    assert.notEqual(response.headers['cache-control'], PUBLIC_CACHE_CONTROL);
  }
});

test('search - accepts 100 characters after trimming', async () => {
  const response = await get('/api/search', {
    q: `  ${'a'.repeat(100)}  `,
  });

  assert.equal(response.statusCode, 200);
});

test('suggest - returns at most eight names', async () => {
  const response = await get('/api/search/suggest', { q: 'lamp' });
  const items = response.json().items;

  assert.equal(response.statusCode, 200);
  assert.equal(items.length, 8);
  assert.deepEqual(Object.keys(items[0]).sort(), ['name', 'slug']);
});

test('suggest - prefix matches come first', async () => {
  const items = (await get('/api/search/suggest', { q: 'lamp' })).json().items;

  assert.ok(
    items.every((item: { name: string }) => item.name.startsWith('Lampshade')),
  );
});

test('suggest - matches a word inside the name', async () => {
  const items = (await get('/api/search/suggest', { q: 'desk' })).json().items;

  assert.deepEqual(items, [{ slug: 'oak-desk-lamp', name: 'Oak Desk Lamp' }]);
});

test('suggest - fuzzy match on a typo', async () => {
  const items = (await get('/api/search/suggest', { q: 'hedphones' })).json()
    .items;

  assert.deepEqual(items, [
    { slug: 'studio-headphones', name: 'Studio Headphones' },
  ]);
});

test('suggest - public Cache-Control', async () => {
  const response = await get('/api/search/suggest', { q: 'oak' });

  assert.equal(response.headers['cache-control'], PUBLIC_CACHE_CONTROL);
});

test('suggest - rejects invalid query', async () => {
  const cases: Record<string, string>[] = [
    {},
    { q: ' ' },
    { q: 'x'.repeat(101) },
    { q: 'lamp', limit: '5' },
  ];

  for (const query of cases) {
    const response = await get('/api/search/suggest', query);

    assert.equal(response.statusCode, 400, JSON.stringify(query));
  }
});
