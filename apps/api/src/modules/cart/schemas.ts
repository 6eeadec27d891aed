import { z } from 'zod';

/** Maximum quantity of one product in a cart line or order line. */
export const MAX_LINE_QUANTITY = 99;

/** Maximum number of different products in one cart. */
export const MAX_CART_LINES = 50;

export const quantitySchema = z.int().min(1).max(MAX_LINE_QUANTITY);

export const addCartItemBodySchema = z.strictObject({
  productId: z.uuid(),
  quantity: quantitySchema,
});
export type AddCartItemBody = z.output<typeof addCartItemBodySchema>;

export const updateCartItemBodySchema = z.strictObject({
  quantity: quantitySchema,
});

export const cartItemParamsSchema = z.strictObject({
  productId: z.uuid(),
});

export const cartLineSchema = z.object({
  productId: z.string(),
  slug: z.string(),
  name: z.string(),
  sku: z.string(),
  imageUrl: z.string().nullable(),
  unitPriceCents: z.int(),
  quantity: z.int(),
  lineTotalCents: z.int(),
  stock: z.int(),
});

export const cartSchema = z
  .object({
    items: z.array(cartLineSchema),
    subtotalCents: z.int(),
    shippingCents: z.int(),
    taxCents: z.int(),
    totalCents: z.int(),
    currency: z.string(),
    itemCount: z.int(),
  })
  .meta({ id: 'Cart' });
export type CartView = z.output<typeof cartSchema>;
