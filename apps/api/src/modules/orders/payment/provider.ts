/**
 * The payment step of checkout. Checkout calls `charge` once per order,
 * inside the order transaction, and writes nothing when the charge fails.
 * A real provider implements this interface and replaces the mock in the
 * `paymentProvider` option of the orders routes.
 */
export interface PaymentProvider {
  readonly name: string;
  charge(request: PaymentRequest): Promise<PaymentResult>;
}

export interface PaymentRequest {
  orderNumber: string;
  amountCents: number;
  currency: string;
  method: 'mock_card';
  /** Opaque token of the card, issued to the browser by the provider. */
  cardToken?: string;
}

export type PaymentResult =
  | { status: 'succeeded'; reference: string }
  | { status: 'failed'; reason: string };
