import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';

import { archiveProductAction } from '@/actions/admin';
import { ProductForm } from '@/components/admin/ProductForm';
import { Notice } from '@/components/ui/Notice';
import { withServiceErrorState } from '@/components/ui/ServiceUnavailable';
import { getAdminProduct, listAdminCategories } from '@/lib/api/admin';
import { ApiError } from '@/lib/api/errors';
import { firstParam } from '@/lib/format';
import { apiContext, requireAdmin } from '@/lib/session/session';

export const metadata: Metadata = { title: 'Edit product' };

async function EditProductPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdmin();
  const { id } = await params;
  const query = await searchParams;
  const ctx = await apiContext();

  let product;
  try {
    product = await getAdminProduct(id, ctx);
  } catch (error) {
    if (
      error instanceof ApiError &&
      (error.status === 404 || error.status === 400)
    )
      notFound();
    throw error;
  }
  const categories = await listAdminCategories(ctx);

  return (
    <>
      <h1>Edit {product.name}</h1>
      <Notice
        notice={firstParam(query.notice)}
        error={firstParam(query.error)}
      />
      <p>
        {product.status === 'active' ? (
          <Link
            prefetch={false}
            href={`/products/${encodeURIComponent(product.slug)}`}
          >
            View in the shop
          </Link>
        ) : (
          <>This product is {product.status} and hidden from shoppers.</>
        )}
      </p>
      <ProductForm product={product} categories={categories.items} />
      {product.status !== 'archived' ? (
        <form action={archiveProductAction}>
          <h2>Archive</h2>
          <p>
            Archived products disappear from the shop; existing orders keep
            them.
          </p>
          <input type="hidden" name="id" value={product.id} />
          <button type="submit" className="button--danger">
            Archive product
          </button>
        </form>
      ) : null}
    </>
  );
}

export default withServiceErrorState('Edit product', EditProductPage);
