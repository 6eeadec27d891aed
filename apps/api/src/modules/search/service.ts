import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Paged, ProductSummary } from '../catalog/schemas.js';
import { findActiveProductsByIds } from '../catalog/service.js';
import { escapeLikePattern } from './like-pattern.js';
import { MAX_SUGGESTIONS } from './schemas.js';

// Matching uses pg_trgm so that a typo still finds the product: `q <% column`
// is true when some run of words in the column shares enough trigrams with
// the query (word_similarity above pg_trgm.word_similarity_threshold, 0.6 by
// default). "hedphones" and "headphones" share 8 of the query's 10 trigrams.
// The trigram GIN indexes on products.name and products.description serve
// both `<%` and ILIKE. Every value reaches SQL as a bound parameter.

interface RankedId {
  id: string;
  total: bigint;
}

/**
 * Searches active products by name and description. Results whose name
 * contains the query come first, then the rest by trigram score, where a
 * name match weighs twice a description match.
 */
export async function searchActiveProducts(
  prisma: PrismaClient,
  query: string,
  page: { page: number; limit: number },
): Promise<Paged<ProductSummary>> {
  const contains = `%${escapeLikePattern(query)}%`;
  const offset = (page.page - 1) * page.limit;

  const ranked = await prisma.$queryRaw<RankedId[]>`
    SELECT p.id, count(*) OVER () AS total
    FROM products p
    WHERE p.status = 'active'
      AND (
        p.name ILIKE ${contains}
        OR p.description ILIKE ${contains}
        OR ${query}::text <% p.name
        OR ${query}::text <% p.description
      )
    ORDER BY
      (p.name ILIKE ${contains}) DESC,
      2 * GREATEST(
        word_similarity(${query}::text, p.name),
        similarity(${query}::text, p.name)
      ) + word_similarity(${query}::text, p.description) DESC,
      p.name ASC,
      p.id ASC
    LIMIT ${page.limit}::int OFFSET ${offset}::int`;

  // The window count is missing when the page lies past the last result.
  const total =
    ranked[0] !== undefined
      ? Number(ranked[0].total)
      : await countMatches(prisma, query, contains);
  const items = await findActiveProductsByIds(
    prisma,
    ranked.map((row) => row.id),
  );

  return {
    items,
    page: page.page,
    limit: page.limit,
    total,
    totalPages: Math.ceil(total / page.limit),
  };
}

async function countMatches(
  prisma: PrismaClient,
  query: string,
  contains: string,
): Promise<number> {
  const [row] = await prisma.$queryRaw<{ total: bigint }[]>`
    SELECT count(*) AS total
    FROM products p
    WHERE p.status = 'active'
      AND (
        p.name ILIKE ${contains}
        OR p.description ILIKE ${contains}
        OR ${query}::text <% p.name
        OR ${query}::text <% p.description
      )`;

  return Number(row?.total ?? 0);
}

/**
 * Suggests up to MAX_SUGGESTIONS active product names for autocomplete:
 * names starting with the query first, then names with a word starting
 * with it, then fuzzy matches by trigram score.
 */
export async function suggestActiveProducts(
  prisma: PrismaClient,
  query: string,
): Promise<{ slug: string; name: string }[]> {
  const escaped = escapeLikePattern(query);
  const startsWith = `${escaped}%`;
  const wordStartsWith = `% ${escaped}%`;

  return prisma.$queryRaw<{ slug: string; name: string }[]>`
    SELECT p.slug, p.name
    FROM products p
    WHERE p.status = 'active'
      AND (
        p.name ILIKE ${startsWith}
        OR p.name ILIKE ${wordStartsWith}
        OR ${query}::text <% p.name
      )
    ORDER BY
      (p.name ILIKE ${startsWith}) DESC,
      (p.name ILIKE ${wordStartsWith}) DESC,
      word_similarity(${query}::text, p.name) DESC,
      p.name ASC
    LIMIT ${MAX_SUGGESTIONS}::int`;
}
