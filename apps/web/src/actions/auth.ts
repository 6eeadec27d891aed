'use server';

import { redirect } from 'next/navigation';

import * as account from '@/lib/api/account';
import { ApiError, userMessage } from '@/lib/api/errors';
import { safeRedirectPath } from '@/lib/security/redirect';
import {
  apiContext,
  clearSession,
  getClientIp,
  getRefreshToken,
  requireUser,
  storeSession,
} from '@/lib/session/session';
import {
  fieldErrors,
  formValues,
  passwordSchema,
  registerSchema,
  signInSchema,
} from '@/lib/validation';

import type { FormState } from './form-state';
import { assertSameOrigin } from './guard';

/** Drops password fields so they are never rendered back into the page. */
function withoutSecrets(
  values: Record<string, string>,
): Record<string, string> {
  const copy = { ...values };
  for (const key of Object.keys(copy)) {
    if (key.toLowerCase().includes('password')) delete copy[key];
  }
  return copy;
}

export async function signInAction(
  _previous: FormState,
  form: FormData,
): Promise<FormState> {
  await assertSameOrigin();
  const values = formValues(form);
  const parsed = signInSchema.safeParse(values);
  if (!parsed.success) {
    return {
      fieldErrors: fieldErrors(parsed.error),
      values: withoutSecrets(values),
    };
  }

  try {
    const pair = await account.login(
      { email: parsed.data.email, password: parsed.data.password },
      await getClientIp(),
    );
    await storeSession(pair);
  } catch (error) {
    return { error: userMessage(error), values: withoutSecrets(values) };
  }

  redirect(safeRedirectPath(parsed.data.next));
}

export async function registerAction(
  _previous: FormState,
  form: FormData,
): Promise<FormState> {
  await assertSameOrigin();
  const values = formValues(form);
  const parsed = registerSchema.safeParse(values);
  if (!parsed.success) {
    return {
      fieldErrors: fieldErrors(parsed.error),
      values: withoutSecrets(values),
    };
  }

  try {
    await account.register(parsed.data, await getClientIp());
  } catch (error) {
    if (error instanceof ApiError && error.details.length > 0) {
      const errors: Record<string, string> = {};
      for (const detail of error.details) {
        errors[detail.path.replace(/^body\./, '')] = detail.message;
      }
      return { fieldErrors: errors, values: withoutSecrets(values) };
    }
    return { error: userMessage(error), values: withoutSecrets(values) };
  }

  redirect('/signin?notice=registered');
}

export async function signOutAction(): Promise<void> {
  await assertSameOrigin();
  const refreshToken = await getRefreshToken();

  if (refreshToken) {
    try {
      await account.logout(refreshToken, await getClientIp());
    } catch (error) {
      // The cookies are cleared anyway; the API expires the token on its own.
      console.error(
        JSON.stringify({ event: 'logout_failed', error: String(error) }),
      );
    }
  }

  await clearSession();
  redirect('/');
}

export async function updateProfileAction(
  _previous: FormState,
  form: FormData,
): Promise<FormState> {
  await assertSameOrigin();
  await requireUser('/account');
  const name = String(form.get('name') ?? '').trim();
  if (name.length < 1 || name.length > 100) {
    return {
      fieldErrors: { name: 'Enter a name of 1 to 100 characters.' },
      values: { name },
    };
  }

  try {
    await account.updateProfile({ name }, await apiContext());
  } catch (error) {
    return { error: userMessage(error), values: { name } };
  }
  return { success: 'Your profile was saved.', values: { name } };
}

export async function changePasswordAction(
  _previous: FormState,
  form: FormData,
): Promise<FormState> {
  await assertSameOrigin();
  await requireUser('/account');
  const currentPassword = String(form.get('currentPassword') ?? '');
  const newPassword = String(form.get('newPassword') ?? '');

  const parsed = passwordSchema.safeParse(newPassword);
  if (!parsed.success) {
    return {
      fieldErrors: {
        newPassword: parsed.error.issues[0]?.message ?? 'Invalid password.',
      },
    };
  }
  if (currentPassword.length === 0) {
    return { fieldErrors: { currentPassword: 'Enter your current password.' } };
  }

  try {
    const pair = await account.changePassword(
      { currentPassword, newPassword },
      await apiContext(),
    );
    await storeSession(pair);
  } catch (error) {
    // The API returns 403 for a wrong current password.
    if (error instanceof ApiError && error.status === 403) {
      return {
        fieldErrors: { currentPassword: 'The current password is incorrect.' },
      };
    }
    return { error: userMessage(error) };
  }
  return {
    success: 'Your password was changed. Other devices were signed out.',
  };
}
