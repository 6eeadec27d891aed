import { z } from 'zod';
import {
  booleanParam,
  integerParam,
  paginationParams,
  slugParam,
} from './query-params.js';

// Prices are integer cents; the upper bound (10 million EUR) only keeps the
// numbers far from the 32-bit column limit.
const MAX_PRICE_CENTS = 1_000_000_000;

export const productSortValues = [
  'price_asc',
  'price_desc',
  'name_asc',
  'name_desc',
  'newest',
] as const;
export type ProductSort = (typeof productSortValues)[number];

const sortParam = z.enum(productSortValues).default('newest');

export const slugParamsSchema = z.strictObject({ slug: slugParam });

/** Query of routes that take no parameters, so any key is rejected. */
export const noQuerySchema = z.strictObject({});

export const productListQuerySchema = z
  .strictObject({
    ...paginationParams,
    category: slugParam.optional(),
    minPrice: integerParam(0, MAX_PRICE_CENTS).optional(),
    maxPrice: integerParam(0, MAX_PRICE_CENTS).optional(),
    inStock: booleanParam().optional(),
    featured: booleanParam().optional(),
    sort: sortParam,
  })
  .refine(
    (query) =>
      query.minPrice === undefined ||
      query.maxPrice === undefined ||
      query.minPrice <= query.maxPrice,
    {
      message: 'minPrice must not be greater than maxPrice',
      path: ['minPrice'],
    },
  );
export type ProductListQuery = z.output<typeof productListQuerySchema>;

export const categoryProductsQuerySchema = z.strictObject({
  ...paginationParams,
  sort: sortParam,
});

export const categoryRefSchema = z.object({
  slug: z.string(),
  name: z.string(),
});

export const productSummarySchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    sku: z.string(),
    name: z.string(),
    priceCents: z.int(),
    compareAtPriceCents: z.int().nullable(),
    currency: z.string(),
    stock: z.int(),
    inStock: z.boolean(),
    featured: z.boolean(),
    imageUrl: z.string().nullable(),
    category: categoryRefSchema,
  })
  .meta({ id: 'ProductSummary' });
export type ProductSummary = z.output<typeof productSummarySchema>;

export const productSchema = productSummarySchema
  .extend({
    description: z.string(),
    images: z.array(z.string()),
    status: z.enum(['draft', 'active', 'archived']),
  })
  .meta({ id: 'Product' });
export type ProductDetail = z.output<typeof productSchema>;

/** Page of items with the totals a client needs to draw pagination. */
export function pagedSchema<Item extends z.ZodType>(item: Item) {
  return z.object({
    items: z.array(item),
    page: z.int(),
    limit: z.int(),
    total: z.int(),
    totalPages: z.int(),
  });
}
export interface Paged<Item> {
  items: Item[];
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}

export const pagedProductSummarySchema = pagedSchema(productSummarySchema);

export interface CategoryNode {
  id: string;
  slug: string;
  name: string;
  description: string;
  children: CategoryNode[];
}

export const categoryNodeSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    get children(): z.ZodArray<typeof categoryNodeSchema> {
      return z.array(categoryNodeSchema);
    },
  })
  .meta({ id: 'CategoryNode' });

export const categoryTreeResponseSchema = z.object({
  items: z.array(categoryNodeSchema),
});

export const categoryDetailResponseSchema = z.object({
  category: z.object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    parent: categoryRefSchema.nullable(),
    children: z.array(categoryRefSchema),
  }),
  products: pagedProductSummarySchema,
});
export type CategoryDetailResponse = z.output<
  typeof categoryDetailResponseSchema
>;
