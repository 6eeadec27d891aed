'use server';

import { redirect } from 'next/navigation';

import * as account from '@/lib/api/account';
import { errorCode } from '@/lib/api/errors';
import { apiContext, getAccessToken } from '@/lib/session/session';

import { assertSameOrigin } from './guard';

function quantityFrom(form: FormData): number | null {
  const quantity = Number(form.get('quantity'));
  return Number.isInteger(quantity) && quantity >= 1 && quantity <= 99
    ? quantity
    : null;
}

function slugPath(form: FormData): string {
  const slug = String(form.get('slug') ?? '');
  return /^[a-z0-9-]{1,120}$/i.test(slug) ? `/products/${slug}` : '/products';
}

export async function addToCartAction(form: FormData): Promise<void> {
  await assertSameOrigin();
  const productPath = slugPath(form);
  if (!(await getAccessToken())) {
    redirect(`/signin?next=${encodeURIComponent(productPath)}`);
  }

  const productId = String(form.get('productId') ?? '');
  const quantity = quantityFrom(form);
  if (!productId || quantity === null)
    redirect(`${productPath}?error=VALIDATION_FAILED`);

  let code: string | null = null;
  try {
    await account.addCartItem({ productId, quantity }, await apiContext());
  } catch (error) {
    code = errorCode(error);
  }
  redirect(
    code ? `${productPath}?error=${code}` : `${productPath}?notice=added`,
  );
}

export async function updateCartItemAction(form: FormData): Promise<void> {
  await assertSameOrigin();
  const productId = String(form.get('productId') ?? '');
  const quantity = quantityFrom(form);
  if (!productId || quantity === null)
    redirect('/cart?error=VALIDATION_FAILED');

  let code: string | null = null;
  try {
    await account.setCartItemQuantity(productId, quantity, await apiContext());
  } catch (error) {
    code = errorCode(error);
  }
  redirect(code ? `/cart?error=${code}` : '/cart?notice=updated');
}

export async function removeCartItemAction(form: FormData): Promise<void> {
  await assertSameOrigin();
  const productId = String(form.get('productId') ?? '');

  let code: string | null = null;
  try {
    await account.removeCartItem(productId, await apiContext());
  } catch (error) {
    code = errorCode(error);
  }
  redirect(code ? `/cart?error=${code}` : '/cart?notice=removed');
}
