import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';

import { ProductGrid } from '@/components/product/ProductCard';
import { SORT_LABELS } from '@/components/product/ProductFilters';
import { Pagination } from '@/components/ui/Pagination';
import {
  ServiceUnavailable,
  isServiceFailure,
} from '@/components/ui/ServiceUnavailable';
import {
  PRODUCT_SORTS,
  getCategory,
  type ProductSort,
} from '@/lib/api/catalog';
import { ApiError } from '@/lib/api/errors';
import { firstParam, pageNumber } from '@/lib/format';
import { getClientIp } from '@/lib/session/session';

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export const metadata: Metadata = { title: 'Category' };

export default async function CategoryPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const query = await searchParams;
  const page = pageNumber(query.page);
  const sortParam = firstParam(query.sort);
  const sort = PRODUCT_SORTS.includes(sortParam as ProductSort)
    ? (sortParam as ProductSort)
    : 'newest';

  let data;
  try {
    data = await getCategory(
      slug,
      { page, limit: 12, sort },
      { clientIp: await getClientIp() },
    );
  } catch (error) {
    if (
      error instanceof ApiError &&
      (error.status === 404 || error.status === 400)
    )
      notFound();
    if (isServiceFailure(error))
      return <ServiceUnavailable title="Category" error={error} />;
    throw error;
  }
  const { category, products } = data;

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <ol>
          <li>
            <Link prefetch={false} href="/">
              Home
            </Link>
          </li>
          {category.parent ? (
            <li>
              <Link
                prefetch={false}
                href={`/categories/${encodeURIComponent(category.parent.slug)}`}
              >
                {category.parent.name}
              </Link>
            </li>
          ) : null}
          <li aria-current="page">{category.name}</li>
        </ol>
      </nav>
      <h1>{category.name}</h1>
      {category.description ? <p>{category.description}</p> : null}
      {category.children.length > 0 ? (
        <nav aria-label="Subcategories">
          <ul className="chips">
            {category.children.map((child) => (
              <li key={child.slug}>
                <Link
                  prefetch={false}
                  href={`/categories/${encodeURIComponent(child.slug)}`}
                >
                  {child.name}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <form method="get" className="toolbar inline-form">
        <label htmlFor="category-sort">Sort by</label>
        <select id="category-sort" name="sort" defaultValue={sort}>
          {PRODUCT_SORTS.map((option) => (
            <option key={option} value={option}>
              {SORT_LABELS[option]}
            </option>
          ))}
        </select>
        <button type="submit" className="button--secondary">
          Sort
        </button>
      </form>
      {products.items.length === 0 ? (
        <p className="empty">No products in this category yet.</p>
      ) : (
        <ProductGrid products={products.items} />
      )}
      <Pagination
        basePath={`/categories/${encodeURIComponent(category.slug)}`}
        params={{ sort }}
        page={products.page}
        totalPages={products.totalPages}
      />
    </>
  );
}
