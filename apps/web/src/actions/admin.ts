'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';

import * as admin from '@/lib/api/admin';
import { ApiError, errorCode, userMessage } from '@/lib/api/errors';
import { ORDER_TRANSITIONS, type OrderStatus } from '@/lib/api/types';
import { parseAmountToCents } from '@/lib/format';
import { MAX_PRODUCT_IMAGES, PRODUCT_IMAGES } from '@/lib/product-images';
import { apiContext, requireAdmin } from '@/lib/session/session';
import { fieldErrors, formValues } from '@/lib/validation';

import type { FormState } from './form-state';
import { assertSameOrigin } from './guard';

const slugSchema = z
  .string()
  .trim()
  .regex(
    /^[a-z0-9]+(-[a-z0-9]+)*$/,
    'Use lowercase letters, digits and single dashes.',
  )
  .max(120);

const productSchema = z.object({
  sku: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9_-]{1,64}$/,
      'Use 1 to 64 letters, digits, dashes or underscores.',
    ),
  slug: slugSchema,
  name: z.string().trim().min(1, 'Enter a name.').max(200),
  description: z.string().trim().max(5000, 'Use at most 5000 characters.'),
  price: z.string().transform((value, ctx) => {
    const cents = parseAmountToCents(value);
    if (cents === null || cents < 1) {
      ctx.addIssue({ code: 'custom', message: 'Enter a price such as 19.99.' });
      return z.NEVER;
    }
    return cents;
  }),
  compareAt: z.string().transform((value, ctx) => {
    if (value.trim() === '') return null;
    const cents = parseAmountToCents(value);
    if (cents === null) {
      ctx.addIssue({
        code: 'custom',
        message: 'Enter a price such as 24.99, or leave it empty.',
      });
      return z.NEVER;
    }
    return cents;
  }),
  stock: z.coerce.number().int('Enter a whole number.').min(0).max(1_000_000),
  status: z.enum(['draft', 'active', 'archived']),
  featured: z
    .string()
    .optional()
    .transform((value) => value === 'on'),
  categoryId: z.string().min(1, 'Choose a category.'),
});

function apiFieldErrors(error: ApiError): Record<string, string> {
  const result: Record<string, string> = {};
  for (const detail of error.details) {
    const field = detail.path.split('.').pop() ?? 'form';
    result[field === 'priceCents' ? 'price' : field] = detail.message;
  }
  return result;
}

/**
 * Validates the checked image file names: each must be a shipped image or
 * one the product already has, at most MAX_PRODUCT_IMAGES, no repeats.
 * Returns the names in form order (the first is the main image), or an
 * error message.
 */
function parseImages(
  form: FormData,
  currentImages: readonly string[],
): { images: string[] } | { error: string } {
  const images = form.getAll('images').map(String);
  const allowed = new Set([...PRODUCT_IMAGES, ...currentImages]);
  const unknown = images.find((image) => !allowed.has(image));
  if (unknown !== undefined) {
    return {
      error: `“${unknown.slice(0, 100)}” is not a shipped image. Choose images from the list.`,
    };
  }
  if (new Set(images).size !== images.length) {
    return { error: 'Choose each image at most once.' };
  }
  if (images.length > MAX_PRODUCT_IMAGES) {
    return { error: `Choose at most ${MAX_PRODUCT_IMAGES} images.` };
  }
  return { images };
}

async function saveProduct(
  id: string | null,
  form: FormData,
): Promise<FormState> {
  await assertSameOrigin();
  await requireAdmin();
  const values = formValues(form);
  // Checkboxes repeat the field name, so keep every checked image.
  values.images = form.getAll('images').map(String).join(' ');
  const parsed = productSchema.safeParse({
    ...values,
    compareAt: values.compareAt ?? '',
  });
  const ctx = await apiContext();
  let currentImages: string[] = [];
  if (id) {
    try {
      currentImages = (await admin.getAdminProduct(id, ctx)).images;
    } catch (error) {
      return { error: userMessage(error), values };
    }
  }
  const images = parseImages(form, currentImages);
  if (!parsed.success || 'error' in images) {
    return {
      fieldErrors: {
        ...(parsed.success ? {} : fieldErrors(parsed.error)),
        ...('error' in images ? { images: images.error } : {}),
      },
      values,
    };
  }

  const { price, compareAt, ...rest } = parsed.data;
  const body = {
    ...rest,
    priceCents: price,
    compareAtPriceCents: compareAt,
    images: images.images,
  };

  let savedId: string;
  try {
    const saved = id
      ? await admin.updateProduct(id, body, ctx)
      : await admin.createProduct(body, ctx);
    savedId = saved.id;
  } catch (error) {
    if (error instanceof ApiError && error.details.length > 0) {
      return { fieldErrors: apiFieldErrors(error), values };
    }
    if (error instanceof ApiError && error.status === 409) {
      return {
        error: 'Another product already uses this SKU or slug.',
        values,
      };
    }
    return { error: userMessage(error), values };
  }

  redirect(
    `/admin/products/${encodeURIComponent(savedId)}?notice=${id ? 'updated' : 'created'}`,
  );
}

export async function createProductAction(
  _previous: FormState,
  form: FormData,
) {
  return saveProduct(null, form);
}

export async function updateProductAction(
  _previous: FormState,
  form: FormData,
) {
  return saveProduct(String(form.get('id') ?? ''), form);
}

export async function archiveProductAction(form: FormData): Promise<void> {
  await assertSameOrigin();
  await requireAdmin();
  const id = String(form.get('id') ?? '');
  const path = `/admin/products/${encodeURIComponent(id)}`;

  let code: string | null = null;
  try {
    await admin.archiveProduct(id, await apiContext());
  } catch (error) {
    code = errorCode(error);
  }
  redirect(code ? `${path}?error=${code}` : `${path}?notice=archived`);
}

const categorySchema = z.object({
  name: z.string().trim().min(1, 'Enter a name.').max(100),
  slug: slugSchema,
  description: z.string().trim().max(1000).optional(),
  parentId: z.string().optional(),
});

export async function createCategoryAction(
  _previous: FormState,
  form: FormData,
): Promise<FormState> {
  await assertSameOrigin();
  await requireAdmin();
  const values = formValues(form);
  const parsed = categorySchema.safeParse(values);
  if (!parsed.success)
    return { fieldErrors: fieldErrors(parsed.error), values };

  const { parentId, description, ...rest } = parsed.data;
  try {
    await admin.createCategory(
      {
        ...rest,
        ...(description ? { description } : {}),
        ...(parentId ? { parentId } : {}),
      },
      await apiContext(),
    );
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) {
      return { error: 'Another category already uses this slug.', values };
    }
    return { error: userMessage(error), values };
  }
  return { success: `Category “${rest.name}” was created.` };
}

// The API's limits for a category (apps/api admin schemas), checked here
// first so the form can show each problem next to its field.
const categoryUpdateSchema = z
  .object({
    id: z.uuid('This category does not exist.'),
    name: z
      .string()
      .trim()
      .min(1, 'Enter a name.')
      .max(120, 'Use at most 120 characters.'),
    description: z.string().trim().max(2000, 'Use at most 2000 characters.'),
    parentId: z
      .union([z.literal(''), z.uuid('Choose a parent from the list.')])
      .transform((value) => (value === '' ? null : value)),
    sortOrder: z
      .string()
      .trim()
      .regex(/^-?\d{1,5}$/, 'Enter a whole number from -10000 to 10000.')
      .transform(Number)
      .pipe(
        z
          .number()
          .min(-10_000, 'Enter a whole number from -10000 to 10000.')
          .max(10_000, 'Enter a whole number from -10000 to 10000.'),
      ),
    active: z
      .string()
      .optional()
      .transform((value) => value === 'on'),
  })
  .refine((category) => category.parentId !== category.id, {
    path: ['parentId'],
    message: 'A category cannot be its own parent.',
  });

export async function updateCategoryAction(
  _previous: FormState,
  form: FormData,
): Promise<FormState> {
  await assertSameOrigin();
  await requireAdmin();
  const values = formValues(form);
  const parsed = categoryUpdateSchema.safeParse({
    ...values,
    description: values.description ?? '',
    parentId: values.parentId ?? '',
    sortOrder: values.sortOrder ?? '',
  });
  if (!parsed.success)
    return { fieldErrors: fieldErrors(parsed.error), values };

  const { id, ...body } = parsed.data;
  try {
    await admin.updateCategory(id, body, await apiContext());
  } catch (error) {
    if (error instanceof ApiError && error.details.length > 0) {
      return { fieldErrors: apiFieldErrors(error), values };
    }
    if (error instanceof ApiError && error.status === 409) {
      return {
        fieldErrors: {
          parentId:
            'The parent cannot be this category or one of its subcategories.',
        },
        values,
      };
    }
    if (error instanceof ApiError && error.status === 404) {
      return { error: 'This category no longer exists.', values };
    }
    return { error: userMessage(error), values };
  }
  redirect('/admin/categories?notice=updated');
}

export async function archiveCategoryAction(form: FormData): Promise<void> {
  await assertSameOrigin();
  await requireAdmin();
  let code: string | null = null;
  try {
    await admin.archiveCategory(
      String(form.get('id') ?? ''),
      await apiContext(),
    );
  } catch (error) {
    code = errorCode(error);
  }
  redirect(
    code
      ? `/admin/categories?error=${code}`
      : '/admin/categories?notice=archived',
  );
}

export async function setOrderStatusAction(form: FormData): Promise<void> {
  await assertSameOrigin();
  await requireAdmin();
  const orderNumber = String(form.get('orderNumber') ?? '');
  const status = String(form.get('status') ?? '') as OrderStatus;
  const path = `/admin/orders/${encodeURIComponent(orderNumber)}`;
  if (!(status in ORDER_TRANSITIONS))
    redirect(`${path}?error=VALIDATION_FAILED`);

  let code: string | null = null;
  try {
    await admin.setOrderStatus(orderNumber, status, await apiContext());
  } catch (error) {
    code = errorCode(error);
  }
  redirect(code ? `${path}?error=${code}` : `${path}?notice=status`);
}
