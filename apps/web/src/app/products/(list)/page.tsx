import type { Metadata } from 'next';

import { ProductGrid } from '@/components/product/ProductCard';
import { ProductFilters } from '@/components/product/ProductFilters';
import { Pagination } from '@/components/ui/Pagination';
import {
  ServiceUnavailable,
  isServiceFailure,
} from '@/components/ui/ServiceUnavailable';
import {
  PRODUCT_SORTS,
  listCategories,
  listProducts,
  type ProductSort,
} from '@/lib/api/catalog';
import { firstParam, pageNumber, parseAmountToCents } from '@/lib/format';
import { getClientIp } from '@/lib/session/session';

export const metadata: Metadata = { title: 'All products' };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function ProductsPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const params = await searchParams;
  const page = pageNumber(params.page);
  const sortParam = firstParam(params.sort);
  const sort = PRODUCT_SORTS.includes(sortParam as ProductSort)
    ? (sortParam as ProductSort)
    : 'newest';
  const category = firstParam(params.category)?.slice(0, 100) || undefined;
  const min = firstParam(params.min);
  const max = firstParam(params.max);
  const inStock = firstParam(params.inStock) === 'true';

  const clientIp = await getClientIp();
  let products, categories;
  try {
    [products, categories] = await Promise.all([
      listProducts(
        {
          page,
          limit: 12,
          sort,
          category,
          minPrice: min ? (parseAmountToCents(min) ?? undefined) : undefined,
          maxPrice: max ? (parseAmountToCents(max) ?? undefined) : undefined,
          inStock: inStock ? true : undefined,
        },
        { clientIp },
      ),
      listCategories({ clientIp }),
    ]);
  } catch (error) {
    if (isServiceFailure(error))
      return <ServiceUnavailable title="All products" error={error} />;
    throw error;
  }

  const state = {
    category,
    min,
    max,
    inStock: inStock ? 'true' : undefined,
    sort,
  };

  return (
    <>
      <h1>All products</h1>
      <div className="layout-sidebar">
        <ProductFilters categories={categories.items} values={state} />
        <section aria-label="Results">
          <p className="toolbar" role="status">
            {products.total} {products.total === 1 ? 'product' : 'products'}
          </p>
          {products.items.length === 0 ? (
            <p className="empty">No products match these filters.</p>
          ) : (
            <ProductGrid products={products.items} />
          )}
          <Pagination
            basePath="/products"
            params={state}
            page={products.page}
            totalPages={products.totalPages}
          />
        </section>
      </div>
    </>
  );
}
