import { apiRequest, toQuery } from './client';
import type {
  CategoryNode,
  CategoryPage,
  Paged,
  Product,
  ProductSummary,
} from './types';

export const PRODUCT_SORTS = [
  'newest',
  'price_asc',
  'price_desc',
  'name_asc',
  'name_desc',
] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

export interface ProductQuery {
  page?: number;
  limit?: number;
  category?: string;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  featured?: boolean;
  sort?: ProductSort;
}

interface CallContext {
  clientIp?: string | null;
  accessToken?: string | null;
}

export function listCategories(ctx: CallContext = {}) {
  return apiRequest<{ items: CategoryNode[] }>('/api/categories', ctx);
}

export function getCategory(
  slug: string,
  query: { page?: number; limit?: number; sort?: ProductSort },
  ctx: CallContext = {},
) {
  return apiRequest<CategoryPage>(
    `/api/categories/${encodeURIComponent(slug)}${toQuery({ ...query })}`,
    ctx,
  );
}

export function listProducts(query: ProductQuery, ctx: CallContext = {}) {
  return apiRequest<Paged<ProductSummary>>(
    `/api/products${toQuery({ ...query })}`,
    ctx,
  );
}

export function getProduct(slug: string, ctx: CallContext = {}) {
  return apiRequest<Product>(`/api/products/${encodeURIComponent(slug)}`, ctx);
}

export function searchProducts(
  query: { q: string; page?: number; limit?: number },
  ctx: CallContext = {},
) {
  return apiRequest<Paged<ProductSummary>>(
    `/api/search${toQuery({ ...query })}`,
    ctx,
  );
}
