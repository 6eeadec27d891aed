import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';

import { OrderDetail } from '@/components/order/OrderDetail';
import { withServiceErrorState } from '@/components/ui/ServiceUnavailable';
import { getOrder } from '@/lib/api/account';
import { ApiError } from '@/lib/api/errors';
import { apiContext, requireUser } from '@/lib/session/session';

export const metadata: Metadata = { title: 'Order confirmed' };

async function ConfirmationPage({
  params,
}: {
  params: Promise<{ number: string }>;
}) {
  const { number } = await params;
  await requireUser(`/checkout/confirmation/${encodeURIComponent(number)}`);

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
      <h1>Thank you for your order</h1>
      <p className="alert alert--success" role="status">
        Order <strong data-testid="order-number">{order.number}</strong> was
        placed.
      </p>
      <OrderDetail order={order} />
      <p>
        <Link prefetch={false} href="/account/orders">
          See all your orders
        </Link>
      </p>
    </>
  );
}

export default withServiceErrorState('Order confirmation', ConfirmationPage);
