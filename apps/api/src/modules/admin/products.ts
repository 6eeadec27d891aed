import type { Prisma } from '../../generated/prisma/client.js';
import { AppError } from '../../errors.js';
import type { Db } from '../cart/service.js';
import type { Paged } from '../catalog/schemas.js';
import type {
  AdminProduct,
  AdminProductListQuery,
  CreateProductBody,
  UpdateProductBody,
} from './schemas.js';

const adminProductInclude = {
  category: { select: { id: true, slug: true, name: true } },
} satisfies Prisma.ProductInclude;

/** Lists products of every status, newest first. */
export async function listAdminProducts(
  db: Db,
  query: AdminProductListQuery,
): Promise<Paged<AdminProduct>> {
  const where: Prisma.ProductWhereInput = {
    status: query.status,
    categoryId: query.categoryId,
    featured: query.featured,
  };
  if (query.q !== undefined) {
    where.OR = [
      { name: { contains: query.q, mode: 'insensitive' } },
      { sku: { contains: query.q, mode: 'insensitive' } },
      { slug: { contains: query.q, mode: 'insensitive' } },
    ];
  }

  const [total, items] = await Promise.all([
    db.product.count({ where }),
    db.product.findMany({
      where,
      include: adminProductInclude,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      skip: (query.page - 1) * query.limit,
      take: query.limit,
    }),
  ]);

  return {
    items,
    page: query.page,
    limit: query.limit,
    total,
    totalPages: Math.ceil(total / query.limit),
  };
}

export async function findAdminProduct(
  db: Db,
  id: string,
): Promise<AdminProduct | null> {
  return db.product.findUnique({ where: { id }, include: adminProductInclude });
}

/** Creates a product. Raises CONFLICT on a used SKU or slug. */
export async function createAdminProduct(
  db: Db,
  body: CreateProductBody,
  shopCurrency: string,
): Promise<AdminProduct> {
  const currency = body.currency ?? shopCurrency;
  await checkProductRules(
    db,
    null,
    {
      ...body,
      currency,
      compareAtPriceCents: body.compareAtPriceCents ?? null,
    },
    shopCurrency,
  );

  return db.product.create({
    data: { ...body, currency },
    include: adminProductInclude,
  });
}

/**
 * Changes the given fields of a product. Returns null when it does not
 * exist, and raises CONFLICT on a used SKU or slug.
 */
export async function updateAdminProduct(
  db: Db,
  id: string,
  body: UpdateProductBody,
  shopCurrency: string,
): Promise<AdminProduct | null> {
  const current = await db.product.findUnique({ where: { id } });
  if (current === null) return null;

  await checkProductRules(db, id, { ...current, ...body }, shopCurrency);

  return db.product.update({
    where: { id },
    data: body,
    include: adminProductInclude,
  });
}

/** Sets the status to archived, which hides the product from the shop. */
export async function archiveAdminProduct(
  db: Db,
  id: string,
): Promise<AdminProduct | null> {
  const { count } = await db.product.updateMany({
    where: { id },
    data: { status: 'archived' },
  });
  return count === 0 ? null : findAdminProduct(db, id);
}

interface ProductRuleFields {
  sku: string;
  slug: string;
  priceCents: number;
  compareAtPriceCents: number | null;
  currency: string;
  categoryId: string;
}

// Checks the rules that span fields or rows, on the product as it would be
// after the write. `id` is null for a new product.
async function checkProductRules(
  db: Db,
  id: string | null,
  product: ProductRuleFields,
  shopCurrency: string,
): Promise<void> {
  if (product.currency !== shopCurrency) {
    throw invalidField(
      'body.currency',
      `Products are sold in ${shopCurrency}; the cart cannot add other currencies.`,
    );
  }
  if (
    product.compareAtPriceCents !== null &&
    product.compareAtPriceCents <= product.priceCents
  ) {
    throw invalidField(
      'body.compareAtPriceCents',
      'The compare-at price must be higher than the price, or null.',
    );
  }

  const category = await db.category.findUnique({
    where: { id: product.categoryId },
    select: { id: true },
  });
  if (category === null) {
    throw invalidField('body.categoryId', 'No category has this id.');
  }

  const clash = await db.product.findFirst({
    where: {
      OR: [{ sku: product.sku }, { slug: product.slug }],
      ...(id === null ? {} : { NOT: { id } }),
    },
    select: { sku: true },
  });
  if (clash !== null) {
    const field = clash.sku === product.sku ? 'SKU' : 'slug';
    throw new AppError(
      'CONFLICT',
      `Another product already uses this ${field}.`,
    );
  }
}

export function invalidField(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', undefined, {
    details: [{ path, message }],
  });
}
