'use server';

import { redirect } from 'next/navigation';

import * as account from '@/lib/api/account';
import { errorCode } from '@/lib/api/errors';
import { apiContext, requireUser } from '@/lib/session/session';

import { assertSameOrigin } from './guard';

export async function cancelOrderAction(form: FormData): Promise<void> {
  await assertSameOrigin();
  const orderNumber = String(form.get('orderNumber') ?? '');
  const path = `/account/orders/${encodeURIComponent(orderNumber)}`;
  await requireUser(path);

  let code: string | null = null;
  try {
    await account.cancelOrder(orderNumber, await apiContext());
  } catch (error) {
    code = errorCode(error);
  }
  redirect(code ? `${path}?error=${code}` : `${path}?notice=cancelled`);
}
