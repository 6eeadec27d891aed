import type { Metadata } from 'next';

import { ProductGrid } from '@/components/product/ProductCard';
import { Pagination } from '@/components/ui/Pagination';
import {
  ServiceUnavailable,
  isServiceFailure,
} from '@/components/ui/ServiceUnavailable';
import { searchProducts } from '@/lib/api/catalog';
import { firstParam, pageNumber } from '@/lib/format';
import { getClientIp } from '@/lib/session/session';

export const metadata: Metadata = { title: 'Search' };

export default async function SearchPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const q = (firstParam(params.q) ?? '').trim().slice(0, 100);
  const page = pageNumber(params.page);

  if (q.length === 0) {
    return (
      <>
        <h1>Search</h1>
        <p className="empty">
          Type a product name or description in the search box above.
        </p>
      </>
    );
  }

  let results;
  try {
    results = await searchProducts(
      { q, page, limit: 12 },
      { clientIp: await getClientIp() },
    );
  } catch (error) {
    if (isServiceFailure(error))
      return <ServiceUnavailable title="Search" error={error} />;
    throw error;
  }

  return (
    <>
      <h1>Results for “{q}”</h1>
      <p role="status">
        {results.total} {results.total === 1 ? 'product' : 'products'} found
      </p>
      {results.items.length === 0 ? (
        <p className="empty">
          Nothing matches “{q}”. Check the spelling or try a shorter term.
        </p>
      ) : (
        <ProductGrid products={results.items} />
      )}
      <Pagination
        basePath="/search"
        params={{ q }}
        page={results.page}
        totalPages={results.totalPages}
      />
    </>
  );
}
