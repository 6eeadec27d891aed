import type { Metadata } from 'next';
import Link from 'next/link';

import { Pagination } from '@/components/ui/Pagination';
import { withServiceErrorState } from '@/components/ui/ServiceUnavailable';
import { listAdminProducts } from '@/lib/api/admin';
import { firstParam, formatMoney, pageNumber } from '@/lib/format';
import { apiContext, requireAdmin } from '@/lib/session/session';

export const metadata: Metadata = { title: 'Products' };

const STATUSES = ['active', 'draft', 'archived'];

async function AdminProductsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdmin();
  const params = await searchParams;
  const page = pageNumber(params.page);
  const q = firstParam(params.q)?.trim().slice(0, 100) || undefined;
  const statusParam = firstParam(params.status);
  const status =
    statusParam && STATUSES.includes(statusParam) ? statusParam : undefined;
  const products = await listAdminProducts(
    { page, limit: 20, q, status },
    await apiContext(),
  );

  return (
    <>
      <div className="toolbar">
        <h1>Products</h1>
        <Link prefetch={false} href="/admin/products/new" className="button">
          New product
        </Link>
      </div>
      <form
        method="get"
        className="inline-form toolbar"
        aria-label="Filter products"
      >
        <label htmlFor="admin-q">Name or SKU</label>
        <input
          id="admin-q"
          name="q"
          type="search"
          maxLength={100}
          defaultValue={q ?? ''}
        />
        <label htmlFor="admin-status">Status</label>
        <select id="admin-status" name="status" defaultValue={status ?? ''}>
          <option value="">Any</option>
          {STATUSES.map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
        <button type="submit" className="button--secondary">
          Filter
        </button>
      </form>
      {products.items.length === 0 ? (
        <p className="empty">No products match.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">SKU</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Price
                </th>
                <th scope="col" className="num">
                  Stock
                </th>
              </tr>
            </thead>
            <tbody>
              {products.items.map((product) => (
                <tr key={product.id}>
                  <td>
                    <Link
                      prefetch={false}
                      href={`/admin/products/${encodeURIComponent(product.id)}`}
                    >
                      {product.name}
                    </Link>
                  </td>
                  <td>{product.sku}</td>
                  <td>
                    <span className="status">{product.status}</span>
                  </td>
                  <td className="num">
                    {formatMoney(product.priceCents, product.currency)}
                  </td>
                  <td className="num">{product.stock}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination
        basePath="/admin/products"
        params={{ q, status }}
        page={products.page}
        totalPages={products.totalPages}
      />
    </>
  );
}

export default withServiceErrorState('Products', AdminProductsPage);
