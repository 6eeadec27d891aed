import { z } from 'zod';
import {
  booleanParam,
  integerParam,
  paginationParams,
} from '../catalog/query-params.js';
import { pagedSchema } from '../catalog/schemas.js';
import {
  orderSchema,
  orderStatusSchema,
  orderSummarySchema,
} from '../orders/schemas.js';

// Bounds of the admin product form, in integer cents and units.
export const MAX_PRICE_CENTS = 10_000_000;
export const MAX_STOCK = 1_000_000;
const MAX_IMAGES = 10;

const productStatusSchema = z.enum(['draft', 'active', 'archived']);

const slugSchema = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Expected a slug such as "desk-lamp"');

function plainText(min: number, max: number) {
  return z
    .string()
    .trim()
    .min(min)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'Control characters are not allowed');
}

// Descriptions may contain line breaks and tabs, but no other control
// characters.
function descriptionText(max: number) {
  return z
    .string()
    .max(max)
    .regex(
      /^(?:[^\p{Cc}]|[\t\n\r])*$/u,
      'Control characters other than tabs and line breaks are not allowed',
    );
}

export const idParamsSchema = z.strictObject({ id: z.uuid() });

// ---------------------------------------------------------------- products

const productFields = {
  sku: z
    .string()
    .min(1)
    .max(64)
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
      'Expected letters, digits, ".", "_" or "-"',
    ),
  slug: slugSchema(160),
  name: plainText(1, 200),
  description: descriptionText(5000),
  priceCents: z.int().min(0).max(MAX_PRICE_CENTS),
  compareAtPriceCents: z.int().min(0).max(MAX_PRICE_CENTS).nullable(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 code such as "EUR"'),
  stock: z.int().min(0).max(MAX_STOCK),
  status: productStatusSchema,
  featured: z.boolean(),
  categoryId: z.uuid(),
  // File names of images the API serves from its product image folder.
  images: z
    .array(
      z
        .string()
        .max(100)
        .regex(
          /^[A-Za-z0-9][A-Za-z0-9_-]*\.(?:svg|png|jpg|jpeg|webp)$/,
          'Expected an image file name such as "desk-lamp.svg"',
        ),
    )
    .max(MAX_IMAGES),
};

export const createProductBodySchema = z.strictObject({
  ...productFields,
  description: productFields.description.default(''),
  compareAtPriceCents: productFields.compareAtPriceCents.optional(),
  currency: productFields.currency.optional(),
  images: productFields.images.default([]),
});
export type CreateProductBody = z.output<typeof createProductBodySchema>;

export const updateProductBodySchema = z
  .strictObject(productFields)
  .partial()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'Send at least one field to change',
  });
export type UpdateProductBody = z.output<typeof updateProductBodySchema>;

export const adminProductListQuerySchema = z.strictObject({
  ...paginationParams,
  status: productStatusSchema.optional(),
  categoryId: z.uuid().optional(),
  featured: booleanParam().optional(),
  // Matched against name, SKU and slug, case-insensitively.
  q: z.string().trim().min(1).max(100).optional(),
});
export type AdminProductListQuery = z.output<
  typeof adminProductListQuerySchema
>;

export const adminProductSchema = z
  .object({
    id: z.string(),
    sku: z.string(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    priceCents: z.int(),
    compareAtPriceCents: z.int().nullable(),
    currency: z.string(),
    stock: z.int(),
    status: productStatusSchema,
    featured: z.boolean(),
    images: z.array(z.string()),
    categoryId: z.string(),
    category: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'AdminProduct' });
export type AdminProduct = z.output<typeof adminProductSchema>;

export const pagedAdminProductSchema = pagedSchema(adminProductSchema);

// -------------------------------------------------------------- categories

const categoryFields = {
  slug: slugSchema(120),
  name: plainText(1, 120),
  description: descriptionText(2000),
  parentId: z.uuid().nullable(),
  sortOrder: z.int().min(-10_000).max(10_000),
  active: z.boolean(),
};

export const createCategoryBodySchema = z.strictObject({
  ...categoryFields,
  description: categoryFields.description.default(''),
  parentId: categoryFields.parentId.default(null),
  sortOrder: categoryFields.sortOrder.default(0),
  active: categoryFields.active.default(true),
});
export type CreateCategoryBody = z.output<typeof createCategoryBodySchema>;

export const updateCategoryBodySchema = z
  .strictObject(categoryFields)
  .partial()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'Send at least one field to change',
  });
export type UpdateCategoryBody = z.output<typeof updateCategoryBodySchema>;

export const adminCategorySchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    parentId: z.string().nullable(),
    sortOrder: z.int(),
    active: z.boolean(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'AdminCategory' });
export type AdminCategory = z.output<typeof adminCategorySchema>;

export const adminCategoryListSchema = z.object({
  items: z.array(adminCategorySchema),
});

// ------------------------------------------------------------------ orders

// Bounds of the date filters. PostgreSQL rejects year 0, which the ISO
// date format allows, and no order of this shop predates 2000.
const MIN_FILTER_DATE = '2000-01-01';
const MAX_FILTER_DATE = '9999-12-31';

// ISO dates of the same length compare correctly as strings.
const filterDateSchema = z.iso
  .date()
  .refine((day) => day >= MIN_FILTER_DATE && day <= MAX_FILTER_DATE, {
    message: `Must be a date from ${MIN_FILTER_DATE} to ${MAX_FILTER_DATE}.`,
  });

export const adminOrderListQuerySchema = z
  .strictObject({
    ...paginationParams,
    status: orderStatusSchema.optional(),
    // Calendar days in UTC, both inclusive.
    from: filterDateSchema.optional(),
    to: filterDateSchema.optional(),
    // Matched against the order number and the customer's email.
    q: z.string().trim().min(1).max(100).optional(),
  })
  .refine(
    (query) =>
      query.from === undefined ||
      query.to === undefined ||
      query.from <= query.to,
    { message: 'from must not be after to', path: ['from'] },
  );
export type AdminOrderListQuery = z.output<typeof adminOrderListQuerySchema>;

export const orderStatusBodySchema = z.strictObject({
  status: orderStatusSchema,
});

export const adminOrderSchema = orderSchema
  .extend({ customerEmail: z.string() })
  .meta({ id: 'AdminOrder' });
export type AdminOrder = z.output<typeof adminOrderSchema>;

export const adminOrderSummarySchema = orderSummarySchema
  .extend({ customerEmail: z.string() })
  .meta({ id: 'AdminOrderSummary' });
export type AdminOrderSummary = z.output<typeof adminOrderSummarySchema>;

export const pagedAdminOrderSummarySchema = pagedSchema(
  adminOrderSummarySchema,
);

// ------------------------------------------------------------------- sales

export const salesQuerySchema = z.strictObject({
  days: integerParam(1, 365).default(30),
});

export const salesReportSchema = z
  .object({
    days: z.array(
      z.object({ date: z.string(), orders: z.int(), revenueCents: z.int() }),
    ),
    topProducts: z.array(
      z.object({
        productId: z.string().nullable(),
        sku: z.string(),
        name: z.string(),
        quantity: z.int(),
        revenueCents: z.int(),
      }),
    ),
    totals: z.object({ orders: z.int(), revenueCents: z.int() }),
  })
  .meta({ id: 'SalesReport' });
export type SalesReport = z.output<typeof salesReportSchema>;
