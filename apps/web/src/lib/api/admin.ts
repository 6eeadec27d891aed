import { apiRequest, toQuery } from './client';
import type {
  AdminCategory,
  AdminOrderSummary,
  AdminProduct,
  Order,
  OrderStatus,
  Paged,
  ProductStatus,
  SalesReport,
} from './types';

interface Ctx {
  accessToken: string | null;
  clientIp: string | null;
}

export interface ProductInput {
  sku: string;
  slug: string;
  name: string;
  description: string;
  priceCents: number;
  compareAtPriceCents?: number | null;
  stock: number;
  status: ProductStatus;
  featured: boolean;
  categoryId: string;
  /** Bare file names of shipped images; the first is the main image. */
  images: string[];
}

export function listAdminProducts(
  query: { page?: number; limit?: number; status?: string; q?: string },
  ctx: Ctx,
) {
  return apiRequest<Paged<AdminProduct>>(
    `/api/admin/products${toQuery(query)}`,
    ctx,
  );
}

export function getAdminProduct(id: string, ctx: Ctx) {
  return apiRequest<AdminProduct>(
    `/api/admin/products/${encodeURIComponent(id)}`,
    ctx,
  );
}

export function createProduct(body: ProductInput, ctx: Ctx) {
  return apiRequest<AdminProduct>('/api/admin/products', {
    method: 'POST',
    body,
    ...ctx,
  });
}

export function updateProduct(
  id: string,
  body: Partial<ProductInput>,
  ctx: Ctx,
) {
  return apiRequest<AdminProduct>(
    `/api/admin/products/${encodeURIComponent(id)}`,
    {
      method: 'PATCH',
      body,
      ...ctx,
    },
  );
}

export function archiveProduct(id: string, ctx: Ctx) {
  return apiRequest<AdminProduct>(
    `/api/admin/products/${encodeURIComponent(id)}/archive`,
    {
      method: 'POST',
      ...ctx,
    },
  );
}

export function listAdminCategories(ctx: Ctx) {
  return apiRequest<{ items: AdminCategory[] }>('/api/admin/categories', ctx);
}

export function createCategory(
  body: { slug: string; name: string; description?: string; parentId?: string },
  ctx: Ctx,
) {
  return apiRequest<AdminCategory>('/api/admin/categories', {
    method: 'POST',
    body,
    ...ctx,
  });
}

export interface CategoryUpdate {
  name?: string;
  description?: string;
  parentId?: string | null;
  sortOrder?: number;
  active?: boolean;
}

export function updateCategory(id: string, body: CategoryUpdate, ctx: Ctx) {
  return apiRequest<AdminCategory>(
    `/api/admin/categories/${encodeURIComponent(id)}`,
    {
      method: 'PATCH',
      body,
      ...ctx,
    },
  );
}

export function archiveCategory(id: string, ctx: Ctx) {
  return apiRequest<AdminCategory>(
    `/api/admin/categories/${encodeURIComponent(id)}/archive`,
    {
      method: 'POST',
      ...ctx,
    },
  );
}

export function listAdminOrders(
  query: {
    page?: number;
    limit?: number;
    status?: string;
    q?: string;
    from?: string;
    to?: string;
  },
  ctx: Ctx,
) {
  return apiRequest<Paged<AdminOrderSummary>>(
    `/api/admin/orders${toQuery(query)}`,
    ctx,
  );
}

export function getAdminOrder(orderNumber: string, ctx: Ctx) {
  return apiRequest<Order>(
    `/api/admin/orders/${encodeURIComponent(orderNumber)}`,
    ctx,
  );
}

export function setOrderStatus(
  orderNumber: string,
  status: OrderStatus,
  ctx: Ctx,
) {
  return apiRequest<Order>(
    `/api/admin/orders/${encodeURIComponent(orderNumber)}/status`,
    {
      method: 'POST',
      body: { status },
      ...ctx,
    },
  );
}

export function getSales(days: number, ctx: Ctx) {
  return apiRequest<SalesReport>(`/api/admin/sales${toQuery({ days })}`, ctx);
}
