import { formatMoney } from '@/lib/format';

export function Totals({
  subtotalCents,
  shippingCents,
  taxCents,
  totalCents,
  currency,
}: {
  subtotalCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
  currency: string;
}) {
  return (
    <section className="totals" aria-label="Totals">
      <dl>
        <dt>Subtotal</dt>
        <dd>{formatMoney(subtotalCents, currency)}</dd>
        <dt>Shipping</dt>
        <dd>
          {shippingCents === 0 ? 'Free' : formatMoney(shippingCents, currency)}
        </dd>
        <dt>Tax</dt>
        <dd>{formatMoney(taxCents, currency)}</dd>
        <dt className="grand">Total</dt>
        <dd className="grand" data-testid="order-total">
          {formatMoney(totalCents, currency)}
        </dd>
      </dl>
    </section>
  );
}
