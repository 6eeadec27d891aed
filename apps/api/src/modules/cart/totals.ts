/** Shipping and tax rules of the shop, read from `config.checkout`. */
export interface CheckoutRules {
  currency: string;
  shippingFlatCents: number;
  freeShippingThresholdCents: number;
  taxRateBasisPoints: number;
}

export interface Totals {
  subtotalCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
}

/**
 * Computes shipping, tax and total for a subtotal, all in integer cents.
 * Shipping is the flat fee below the free-shipping threshold and nothing at
 * or above it (or for an empty cart). Tax applies to subtotal plus shipping
 * and is rounded half up to the cent.
 */
export function computeTotals(
  subtotalCents: number,
  rules: CheckoutRules,
): Totals {
  let shippingCents = rules.shippingFlatCents;
  if (
    subtotalCents === 0 ||
    subtotalCents >= rules.freeShippingThresholdCents
  ) {
    shippingCents = 0;
  }

  const taxableCents = subtotalCents + shippingCents;
  // Basis points are 1/10,000, so adding 5,000 before the integer division
  // rounds a half cent up without floating-point error.
  const taxCents = Math.floor(
    (taxableCents * rules.taxRateBasisPoints + 5_000) / 10_000,
  );

  return {
    subtotalCents,
    shippingCents,
    taxCents,
    totalCents: taxableCents + taxCents,
  };
}
