import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Cache } from '../../plugins/redis.js';

/**
 * Lifetime of a cached catalog read. Other replicas running on process
 * memory do not see an invalidation, so this is also the longest time an
 * admin change can stay invisible there.
 */
export const CATALOG_CACHE_TTL_SECONDS = 30;

// Every entry key contains the current generation. Invalidation writes a
// new generation, so all older entries become unreachable at once without
// listing or deleting keys, and a read that started before an admin write
// stores its result under the old generation that no later read uses.
const GENERATION_KEY = 'catalog:generation';
const GENERATION_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * Makes every cached catalog read (category tree, product pages, product
 * by slug) stale at once. Call it after every admin write to products or
 * categories.
 */
export async function invalidateCatalogCache(cache: Cache): Promise<void> {
  await cache.set(GENERATION_KEY, randomUUID(), GENERATION_TTL_SECONDS);
}

/**
 * Returns the cached value for `key`, or runs `load`, stores its result for
 * CATALOG_CACHE_TTL_SECONDS and returns it. A `null` result is not stored,
 * so unknown slugs cannot fill the cache. When the cache fails, the error is
 * logged and the value comes from `load`, because the database alone can
 * still serve the request.
 */
export async function readThroughCatalogCache<T>(
  cache: Cache,
  log: FastifyBaseLogger,
  key: string,
  load: () => Promise<T>,
): Promise<T> {
  let entryKey: string | null = null;

  try {
    const generation = (await cache.get(GENERATION_KEY)) ?? 'initial';
    entryKey = `catalog:${generation}:${key}`;
    const cached = await cache.get(entryKey);
    if (cached !== null) return JSON.parse(cached) as T;
  } catch (err) {
    log.warn({ err, cacheKey: key }, 'catalog cache read failed');
  }

  const value = await load();
  if (entryKey === null || value === null) return value;

  try {
    await cache.set(entryKey, JSON.stringify(value), CATALOG_CACHE_TTL_SECONDS);
  } catch (err) {
    log.warn({ err, cacheKey: key }, 'catalog cache write failed');
  }

  return value;
}
