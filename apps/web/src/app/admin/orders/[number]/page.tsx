import type { Metadata } from 'next';
import { notFound } from 'next/navigation';

import { setOrderStatusAction } from '@/actions/admin';
import { OrderDetail } from '@/components/order/OrderDetail';
import { Notice } from '@/components/ui/Notice';
import { withServiceErrorState } from '@/components/ui/ServiceUnavailable';
import { getAdminOrder } from '@/lib/api/admin';
import { ApiError } from '@/lib/api/errors';
import { ORDER_TRANSITIONS } from '@/lib/api/types';
import { firstParam } from '@/lib/format';
import { apiContext, requireAdmin } from '@/lib/session/session';

export const metadata: Metadata = { title: 'Order' };

async function AdminOrderPage({
  params,
  searchParams,
}: {
  params: Promise<{ number: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdmin();
  const { number } = await params;
  const query = await searchParams;

  let order;
  try {
    order = await getAdminOrder(number, await apiContext());
  } catch (error) {
    if (
      error instanceof ApiError &&
      (error.status === 404 || error.status === 400)
    )
      notFound();
    throw error;
  }
  const next = ORDER_TRANSITIONS[order.status];

  return (
    <>
      <h1>Order {order.number}</h1>
      <Notice
        notice={firstParam(query.notice)}
        error={firstParam(query.error)}
      />
      {order.customerEmail ? <p>Customer: {order.customerEmail}</p> : null}
      <OrderDetail order={order} />
      <h2>Change status</h2>
      {next.length === 0 ? (
        <p>This order is {order.status}; its status cannot change any more.</p>
      ) : (
        <div className="inline-form">
          {next.map((status) => (
            <form key={status} action={setOrderStatusAction}>
              <input type="hidden" name="orderNumber" value={order.number} />
              <input type="hidden" name="status" value={status} />
              <button
                type="submit"
                className={
                  status === 'cancelled' || status === 'refunded'
                    ? 'button--danger'
                    : undefined
                }
              >
                Mark as {status}
              </button>
            </form>
          ))}
        </div>
      )}
    </>
  );
}

export default withServiceErrorState('Order', AdminOrderPage);
