import type { Metadata } from 'next';
import Link from 'next/link';
import { randomUUID } from 'node:crypto';

import { CheckoutForm } from '@/components/checkout/CheckoutForm';
import { Totals } from '@/components/order/Totals';
import { withServiceErrorState } from '@/components/ui/ServiceUnavailable';
import { getCart } from '@/lib/api/account';
import { formatMoney } from '@/lib/format';
import { apiContext, requireUser } from '@/lib/session/session';
import { COUNTRIES } from '@/lib/validation';

export const metadata: Metadata = { title: 'Checkout' };

async function CheckoutPage() {
  const user = await requireUser('/checkout');
  const cart = await getCart(await apiContext());

  if (cart.items.length === 0) {
    return (
      <>
        <h1>Checkout</h1>
        <p className="empty">
          Your cart is empty.{' '}
          <Link prefetch={false} href="/products">
            Browse products
          </Link>
          .
        </p>
      </>
    );
  }

  return (
    <>
      <h1>Checkout</h1>
      <div className="layout-sidebar">
        <section aria-labelledby="summary-title" className="filters">
          <h2 id="summary-title">Order summary</h2>
          <ul>
            {cart.items.map((item) => (
              <li key={item.productId}>
                {item.quantity} × {item.name}:{' '}
                {formatMoney(item.lineTotalCents, cart.currency)}
              </li>
            ))}
          </ul>
          <Totals {...cart} />
        </section>
        <CheckoutForm
          idempotencyKey={randomUUID()}
          defaultName={user.name}
          countries={COUNTRIES}
        />
      </div>
    </>
  );
}

export default withServiceErrorState('Checkout', CheckoutPage);
