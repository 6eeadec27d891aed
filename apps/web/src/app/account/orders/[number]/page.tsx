import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';

import { cancelOrderAction } from '@/actions/orders';
import { OrderDetail } from '@/components/order/OrderDetail';
import { Notice } from '@/components/ui/Notice';
import { withServiceErrorState } from '@/components/ui/ServiceUnavailable';
import { getOrder } from '@/lib/api/account';
import { ApiError } from '@/lib/api/errors';
import { firstParam } from '@/lib/format';
import { apiContext, requireUser } from '@/lib/session/session';

export const metadata: Metadata = { title: 'Order' };

const CANCELLABLE = new Set(['pending', 'paid']);

async function OrderPage({
  params,
  searchParams,
}: {
  params: Promise<{ number: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { number } = await params;
  const query = await searchParams;
  await requireUser(`/account/orders/${encodeURIComponent(number)}`);

  let order;
  try {
    order = await getOrder(number, await apiContext());
  } catch (error) {
    if (
      error instanceof ApiError &&
      (error.status === 404 || error.status === 400)
    )
      notFound();
    throw error;
  }

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <ol>
          <li>
            <Link prefetch={false} href="/account/orders">
              Your orders
            </Link>
          </li>
          <li aria-current="page">{order.number}</li>
        </ol>
      </nav>
      <h1>Order {order.number}</h1>
      <Notice
        notice={firstParam(query.notice)}
        error={firstParam(query.error)}
      />
      <OrderDetail order={order} />
      {CANCELLABLE.has(order.status) ? (
        <form action={cancelOrderAction}>
          <input type="hidden" name="orderNumber" value={order.number} />
          <button type="submit" className="button--danger">
            Cancel order
          </button>
        </form>
      ) : null}
    </>
  );
}

export default withServiceErrorState('Order', OrderPage);
