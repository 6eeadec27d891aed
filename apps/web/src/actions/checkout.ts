'use server';

import { redirect } from 'next/navigation';

import * as account from '@/lib/api/account';
import { ApiError, userMessage } from '@/lib/api/errors';
import { apiContext, requireUser } from '@/lib/session/session';
import {
  addressSchema,
  fieldErrors,
  formValues,
  idempotencyKeySchema,
} from '@/lib/validation';

import type { FormState } from './form-state';
import { assertSameOrigin } from './guard';

/**
 * Places the order. The idempotency key is created when the checkout page
 * renders, so a double submit or a retry after a timeout returns the same
 * order instead of charging twice.
 */
export async function placeOrderAction(
  _previous: FormState,
  form: FormData,
): Promise<FormState> {
  await assertSameOrigin();
  await requireUser('/checkout');
  const values = formValues(form);

  const key = idempotencyKeySchema.safeParse(values.idempotencyKey);
  if (!key.success)
    return { error: 'The checkout form expired. Reload the page.', values };

  const address = addressSchema.safeParse({
    ...values,
    line2: values.line2 || undefined,
  });
  if (!address.success)
    return { fieldErrors: fieldErrors(address.error), values };

  // The mock payment provider declines exactly this token.
  const payment =
    values.card === 'decline'
      ? { method: 'mock_card' as const, cardToken: 'tok_declined' }
      : { method: 'mock_card' as const };

  let orderNumber: string;
  try {
    const order = await account.placeOrder(
      { shippingAddress: address.data, payment },
      key.data,
      await apiContext(),
    );
    orderNumber = order.number;
  } catch (error) {
    if (
      error instanceof ApiError &&
      error.code === 'VALIDATION_FAILED' &&
      error.details.length > 0
    ) {
      const errors: Record<string, string> = {};
      for (const detail of error.details) {
        const field = detail.path.split('.').pop() ?? 'form';
        errors[field] = detail.message;
      }
      return { fieldErrors: errors, values };
    }
    return { error: userMessage(error), values };
  }

  redirect(`/checkout/confirmation/${encodeURIComponent(orderNumber)}`);
}
