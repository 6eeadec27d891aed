import type { Metadata } from 'next';

import { OrderTable } from '@/components/order/OrderTable';
import { Pagination } from '@/components/ui/Pagination';
import { withServiceErrorState } from '@/components/ui/ServiceUnavailable';
import { listAdminOrders } from '@/lib/api/admin';
import { ORDER_TRANSITIONS } from '@/lib/api/types';
import { firstParam, pageNumber } from '@/lib/format';
import { apiContext, requireAdmin } from '@/lib/session/session';

export const metadata: Metadata = { title: 'Orders' };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

async function AdminOrdersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdmin();
  const params = await searchParams;
  const page = pageNumber(params.page);
  const statusParam = firstParam(params.status);
  const status =
    statusParam && statusParam in ORDER_TRANSITIONS ? statusParam : undefined;
  const q = firstParam(params.q)?.trim().slice(0, 100) || undefined;
  const fromParam = firstParam(params.from);
  const toParam = firstParam(params.to);
  const from = fromParam && DATE.test(fromParam) ? fromParam : undefined;
  const to = toParam && DATE.test(toParam) ? toParam : undefined;

  const orders = await listAdminOrders(
    { page, limit: 20, status, q, from, to },
    await apiContext(),
  );

  return (
    <>
      <h1>Orders</h1>
      <form
        method="get"
        className="inline-form toolbar"
        aria-label="Filter orders"
      >
        <label htmlFor="order-status">Status</label>
        <select id="order-status" name="status" defaultValue={status ?? ''}>
          <option value="">Any</option>
          {Object.keys(ORDER_TRANSITIONS).map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
        <label htmlFor="order-q">Order or email</label>
        <input
          id="order-q"
          name="q"
          type="search"
          maxLength={100}
          defaultValue={q ?? ''}
        />
        <label htmlFor="order-from">From</label>
        <input
          id="order-from"
          name="from"
          type="date"
          defaultValue={from ?? ''}
        />
        <label htmlFor="order-to">To</label>
        <input id="order-to" name="to" type="date" defaultValue={to ?? ''} />
        <button type="submit" className="button--secondary">
          Filter
        </button>
      </form>
      {orders.items.length === 0 ? (
        <p className="empty">No orders match.</p>
      ) : (
        <OrderTable orders={orders.items} hrefBase="/admin/orders" />
      )}
      <Pagination
        basePath="/admin/orders"
        params={{ status, q, from, to }}
        page={orders.page}
        totalPages={orders.totalPages}
      />
    </>
  );
}

export default withServiceErrorState('Orders', AdminOrdersPage);
