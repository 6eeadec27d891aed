import type { Prisma } from '../../generated/prisma/client.js';
import type { ProductDetail, ProductSummary } from './schemas.js';

/** URL prefix under which the API serves the product images it ships. */
export const PRODUCT_IMAGE_URL_PREFIX = '/api/images/products/';

export const productSummarySelect = {
  id: true,
  slug: true,
  sku: true,
  name: true,
  priceCents: true,
  compareAtPriceCents: true,
  currency: true,
  stock: true,
  featured: true,
  images: true,
  category: { select: { slug: true, name: true } },
} satisfies Prisma.ProductSelect;

export const productDetailSelect = {
  ...productSummarySelect,
  description: true,
  status: true,
} satisfies Prisma.ProductSelect;

type ProductSummaryRow = Prisma.ProductGetPayload<{
  select: typeof productSummarySelect;
}>;
type ProductDetailRow = Prisma.ProductGetPayload<{
  select: typeof productDetailSelect;
}>;

/**
 * Turns a stored image file name (`desk-lamp.svg`) into the URL clients
 * load. The name is encoded, so a stored value can never point elsewhere
 * than the product image folder of this API.
 */
export function toImageUrl(fileName: string): string {
  return PRODUCT_IMAGE_URL_PREFIX + encodeURIComponent(fileName);
}

export function toProductSummary(row: ProductSummaryRow): ProductSummary {
  const firstImage = row.images[0];

  return {
    id: row.id,
    slug: row.slug,
    sku: row.sku,
    name: row.name,
    priceCents: row.priceCents,
    compareAtPriceCents: row.compareAtPriceCents,
    currency: row.currency,
    stock: row.stock,
    inStock: row.stock > 0,
    featured: row.featured,
    imageUrl: firstImage === undefined ? null : toImageUrl(firstImage),
    category: { slug: row.category.slug, name: row.category.name },
  };
}

export function toProductDetail(row: ProductDetailRow): ProductDetail {
  return {
    ...toProductSummary(row),
    description: row.description,
    images: row.images.map(toImageUrl),
    status: row.status,
  };
}
