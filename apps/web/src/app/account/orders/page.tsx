import type { Metadata } from 'next';
import Link from 'next/link';

import { OrderTable } from '@/components/order/OrderTable';
import { Pagination } from '@/components/ui/Pagination';
import { withServiceErrorState } from '@/components/ui/ServiceUnavailable';
import { listOrders } from '@/lib/api/account';
import { pageNumber } from '@/lib/format';
import { apiContext, requireUser } from '@/lib/session/session';

export const metadata: Metadata = { title: 'Your orders' };

async function OrdersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireUser('/account/orders');
  const page = pageNumber((await searchParams).page);
  const orders = await listOrders({ page, limit: 20 }, await apiContext());

  return (
    <>
      <h1>Your orders</h1>
      {orders.items.length === 0 ? (
        <p className="empty">
          You have not ordered anything yet.{' '}
          <Link prefetch={false} href="/products">
            Start shopping
          </Link>
          .
        </p>
      ) : (
        <OrderTable orders={orders.items} hrefBase="/account/orders" />
      )}
      <Pagination
        basePath="/account/orders"
        params={{}}
        page={orders.page}
        totalPages={orders.totalPages}
      />
    </>
  );
}

export default withServiceErrorState('Your orders', OrdersPage);
