import { z } from 'zod';
import { pagedSchema } from '../catalog/schemas.js';
import { paginationParams } from '../catalog/query-params.js';

export const orderStatusValues = [
  'pending',
  'paid',
  'shipped',
  'delivered',
  'cancelled',
  'refunded',
] as const;
export const orderStatusSchema = z.enum(orderStatusValues);

// Free text that ends up on labels and in the admin screens: bounded, and
// without control characters such as NUL or line breaks.
function addressText(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'Control characters are not allowed');
}

export const shippingAddressSchema = z.strictObject({
  fullName: addressText(100),
  line1: addressText(200),
  line2: addressText(200).optional(),
  city: addressText(100),
  postalCode: z
    .string()
    .trim()
    .min(2)
    .max(12)
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9 -]*$/,
      'Expected letters, digits, spaces or hyphens',
    ),
  // ISO 3166-1 alpha-2, upper case, such as "DE" or "FR".
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'Expected an ISO 3166-1 alpha-2 code such as "DE"'),
});
export type ShippingAddress = z.output<typeof shippingAddressSchema>;

export const checkoutBodySchema = z.strictObject({
  shippingAddress: shippingAddressSchema,
  payment: z.strictObject({
    method: z.literal('mock_card'),
    cardToken: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[A-Za-z0-9_-]+$/, 'Expected letters, digits, "_" or "-"')
      .optional(),
  }),
});
export type CheckoutBody = z.output<typeof checkoutBodySchema>;

/** Client-chosen key that makes a retried checkout return the first order. */
export const idempotencyKeySchema = z
  .string()
  .regex(
    /^[A-Za-z0-9_-]{8,128}$/,
    'Expected 8 to 128 characters of A-Z, a-z, 0-9, "_" or "-"',
  );

export const checkoutHeadersSchema = z.object({
  'idempotency-key': idempotencyKeySchema,
});

// SO-2026-000123: prefix, year, six-digit counter.
export const orderNumberSchema = z
  .string()
  .regex(/^SO-\d{4}-\d{6}$/, 'Expected an order number such as SO-2026-000123');

export const orderNumberParamsSchema = z.strictObject({
  orderNumber: orderNumberSchema,
});

export const orderListQuerySchema = z.strictObject({ ...paginationParams });

const timestamp = z.date().nullable();

export const orderItemSchema = z.object({
  productId: z.string().nullable(),
  sku: z.string(),
  name: z.string(),
  unitPriceCents: z.int(),
  quantity: z.int(),
  lineTotalCents: z.int(),
});

export const orderSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    status: orderStatusSchema,
    items: z.array(orderItemSchema),
    subtotalCents: z.int(),
    shippingCents: z.int(),
    taxCents: z.int(),
    totalCents: z.int(),
    currency: z.string(),
    shippingAddress: z.object({
      fullName: z.string(),
      line1: z.string(),
      line2: z.string().optional(),
      city: z.string(),
      postalCode: z.string(),
      country: z.string(),
    }),
    createdAt: z.date(),
    paidAt: timestamp,
    shippedAt: timestamp,
    deliveredAt: timestamp,
    cancelledAt: timestamp,
    refundedAt: timestamp,
  })
  .meta({ id: 'Order' });
export type OrderView = z.output<typeof orderSchema>;

export const orderSummarySchema = z
  .object({
    id: z.string(),
    number: z.string(),
    status: orderStatusSchema,
    totalCents: z.int(),
    currency: z.string(),
    itemCount: z.int(),
    createdAt: z.date(),
  })
  .meta({ id: 'OrderSummary' });
export type OrderSummaryView = z.output<typeof orderSummarySchema>;

export const pagedOrderSummarySchema = pagedSchema(orderSummarySchema);
