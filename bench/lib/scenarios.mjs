import { randomBytes } from 'node:crypto';

import { fetchJson } from './load.mjs';

/** Returns `items` starting at `offset`, wrapping around. */
function rotate(items, offset) {
  const start = offset % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

/**
 * Reads the seeded catalog through the API: product slugs and search terms
 * that match products. Throws when the list does not return 20 items.
 */
export async function discoverCatalog(baseUrl, headers) {
  const firstPage = await fetchJson(`${baseUrl}/api/products?limit=20`, {
    headers,
  });
  if (firstPage.items.length !== 20) {
    throw new Error(
      `GET /api/products?limit=20 returned ${firstPage.items.length} items, but the scenario needs 20 seeded products.`,
    );
  }
  const all = await fetchJson(`${baseUrl}/api/products?limit=100`, { headers });
  const slugs = all.items.map((item) => item.slug);

  const words = new Set();
  for (const item of all.items) {
    for (const word of item.name.toLowerCase().split(/[^\p{L}]+/u)) {
      if (word.length >= 4) words.add(word);
    }
  }
  const terms = [];
  for (const word of words) {
    if (terms.length === 10) break;
    const found = await fetchJson(
      `${baseUrl}/api/search?q=${encodeURIComponent(word)}`,
      { headers },
    );
    if (found.items.length > 0) terms.push(word);
  }
  if (terms.length === 0) {
    throw new Error(
      'No word of a seeded product name returned a search result, so the search scenario has no query.',
    );
  }
  return { slugs, terms };
}

/** Registers one account per connection, a few at a time (each is a bcrypt hash). */
export async function registerAccounts(baseUrl, headers, count, runId) {
  const accounts = Array.from({ length: count }, (_, index) => ({
    email: `bench-${runId}-${index}@example.test`,
    password: randomBytes(18).toString('base64url'),
  }));
  const parallel = 4;
  for (let index = 0; index < accounts.length; index += parallel) {
    await Promise.all(
      accounts.slice(index, index + parallel).map((account, offset) =>
        fetchJson(`${baseUrl}/api/auth/register`, {
          method: 'POST',
          headers,
          body: { ...account, name: `Bench user ${index + offset}` },
        }),
      ),
    );
  }
  return accounts;
}

export function apiScenarios({
  catalog,
  accounts,
  baseUrl,
  headers,
  loginSeconds,
}) {
  const { slugs, terms } = catalog;
  return [
    {
      name: 'list',
      title: 'Product list',
      request: 'GET /api/products?limit=20',
      requestsForClient: () => [
        { method: 'GET', path: '/api/products?limit=20' },
      ],
    },
    {
      name: 'product',
      title: 'Product by slug',
      request: 'GET /api/products/:slug',
      requestsForClient: (index) =>
        rotate(slugs, index).map((slug) => ({
          method: 'GET',
          path: `/api/products/${encodeURIComponent(slug)}`,
        })),
    },
    {
      name: 'search',
      title: 'Search',
      request: 'GET /api/search?q=…',
      requestsForClient: (index) =>
        rotate(terms, index).map((term) => ({
          method: 'GET',
          path: `/api/search?q=${encodeURIComponent(term)}`,
        })),
    },
    {
      name: 'login',
      title: 'Login',
      request: 'POST /api/auth/login',
      // An autocannon warm-up would leave 50 logins queued behind bcrypt
      // when it stops, and the server would still hash them during the
      // measured run. A few single logins warm the route instead.
      warmup: false,
      measuredSeconds: loginSeconds,
      prepare: () =>
        Promise.all(
          accounts.slice(0, 4).map((account) =>
            fetchJson(`${baseUrl}/api/auth/login`, {
              method: 'POST',
              headers,
              body: account,
            }),
          ),
        ),
      requestsForClient: (index) => [
        {
          method: 'POST',
          path: '/api/auth/login',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            email: accounts[index].email,
            password: accounts[index].password,
          }),
        },
      ],
    },
  ];
}
