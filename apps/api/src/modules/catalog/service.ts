import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import {
  collectSubtreeIds,
  selectReachableCategories,
  type CategoryRecord,
} from './category-tree.js';
import {
  productDetailSelect,
  productSummarySelect,
  toProductDetail,
  toProductSummary,
} from './product-view.js';
import type {
  Paged,
  ProductDetail,
  ProductSort,
  ProductSummary,
} from './schemas.js';

// Only active products are public. Archiving a category hides it from the
// navigation and from category pages, but its active products stay listed
// and reachable by slug until they are archived themselves.

export interface ProductFilters {
  /** Category ids to match; an empty list matches nothing. */
  categoryIds?: string[];
  minPriceCents?: number;
  maxPriceCents?: number;
  inStock?: boolean;
  featured?: boolean;
}

export interface PageRequest {
  page: number;
  limit: number;
  sort: ProductSort;
}

/** Loads the categories a shopper can reach, ordered by sortOrder, then name. */
export async function listReachableCategories(
  prisma: PrismaClient,
): Promise<CategoryRecord[]> {
  const categories = await prisma.category.findMany({
    where: { active: true },
    select: {
      id: true,
      slug: true,
      name: true,
      description: true,
      parentId: true,
      sortOrder: true,
    },
    orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }, { id: 'asc' }],
  });

  return selectReachableCategories(categories);
}

/** Returns the ids of the category with `slug` and of its descendants. */
export function findCategorySubtree(
  categories: CategoryRecord[],
  slug: string,
): { category: CategoryRecord; ids: string[] } | null {
  const category = categories.find((candidate) => candidate.slug === slug);
  if (!category) return null;

  return { category, ids: collectSubtreeIds(categories, category.id) };
}

/** Lists one page of active products matching `filters`. */
export async function listActiveProducts(
  prisma: PrismaClient,
  filters: ProductFilters,
  request: PageRequest,
): Promise<Paged<ProductSummary>> {
  const where = buildProductWhere(filters);

  const [total, rows] = await Promise.all([
    prisma.product.count({ where }),
    prisma.product.findMany({
      where,
      select: productSummarySelect,
      orderBy: productOrderBy(request.sort),
      skip: (request.page - 1) * request.limit,
      take: request.limit,
    }),
  ]);

  return {
    items: rows.map(toProductSummary),
    page: request.page,
    limit: request.limit,
    total,
    totalPages: Math.ceil(total / request.limit),
  };
}

/** Returns the active product with `slug`, or null for any other status. */
export async function findActiveProductBySlug(
  prisma: PrismaClient,
  slug: string,
): Promise<ProductDetail | null> {
  const row = await prisma.product.findFirst({
    where: { slug, status: 'active' },
    select: productDetailSelect,
  });

  return row ? toProductDetail(row) : null;
}

/** Loads active products by id, in the order of `ids`. */
export async function findActiveProductsByIds(
  prisma: PrismaClient,
  ids: string[],
): Promise<ProductSummary[]> {
  if (ids.length === 0) return [];

  const rows = await prisma.product.findMany({
    where: { id: { in: ids }, status: 'active' },
    select: productSummarySelect,
  });
  const byId = new Map(rows.map((row) => [row.id, row]));

  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toProductSummary(row)] : [];
  });
}

function buildProductWhere(filters: ProductFilters): Prisma.ProductWhereInput {
  const where: Prisma.ProductWhereInput = { status: 'active' };

  if (filters.categoryIds !== undefined) {
    where.categoryId = { in: filters.categoryIds };
  }
  if (
    filters.minPriceCents !== undefined ||
    filters.maxPriceCents !== undefined
  ) {
    where.priceCents = {
      gte: filters.minPriceCents,
      lte: filters.maxPriceCents,
    };
  }
  if (filters.inStock !== undefined) {
    where.stock = filters.inStock ? { gt: 0 } : { lte: 0 };
  }
  if (filters.featured !== undefined) {
    where.featured = filters.featured;
  }

  return where;
}

// The id comes last in every order so that pages never overlap or skip a
// product when several share a price, name or creation time.
function productOrderBy(
  sort: ProductSort,
): Prisma.ProductOrderByWithRelationInput[] {
  switch (sort) {
    case 'price_asc':
      return [{ priceCents: 'asc' }, { id: 'asc' }];
    case 'price_desc':
      return [{ priceCents: 'desc' }, { id: 'asc' }];
    case 'name_asc':
      return [{ name: 'asc' }, { id: 'asc' }];
    case 'name_desc':
      return [{ name: 'desc' }, { id: 'asc' }];
    case 'newest':
      return [{ createdAt: 'desc' }, { id: 'asc' }];
  }
}
