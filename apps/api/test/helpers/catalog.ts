import type {
  Category,
  Prisma,
  PrismaClient,
  Product,
} from '../../src/generated/prisma/client.js';

// Each call gets a distinct suffix so slugs and SKUs never collide within
// a test database.
let sequence = 0;

function nextSuffix(): string {
  sequence += 1;
  return `${process.pid}-${sequence}`;
}

/** Inserts an active root category; `overrides` may set any column. */
export async function createCategory(
  prisma: PrismaClient,
  overrides: Partial<Prisma.CategoryUncheckedCreateInput> = {},
): Promise<Category> {
  const suffix = nextSuffix();

  return prisma.category.create({
    data: {
      slug: `category-${suffix}`,
      name: `Category ${suffix}`,
      description: 'Test category',
      ...overrides,
    },
  });
}

/**
 * Inserts an active product with stock 10, creating a category for it
 * unless `overrides.categoryId` is given.
 */
export async function createProduct(
  prisma: PrismaClient,
  overrides: Partial<Prisma.ProductUncheckedCreateInput> = {},
): Promise<Product> {
  const suffix = nextSuffix();
  const categoryId = overrides.categoryId ?? (await createCategory(prisma)).id;

  return prisma.product.create({
    data: {
      sku: `SKU-${suffix}`,
      slug: `product-${suffix}`,
      name: `Product ${suffix}`,
      description: 'Test product',
      priceCents: 1999,
      currency: 'EUR',
      stock: 10,
      status: 'active',
      images: [`product-${suffix}.svg`],
      ...overrides,
      categoryId,
    },
  });
}
