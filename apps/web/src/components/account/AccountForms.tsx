'use client';

import { useActionState } from 'react';

import { changePasswordAction, updateProfileAction } from '@/actions/auth';
import type { FormState } from '@/actions/form-state';
import { Field } from '@/components/ui/Field';

const initialState: FormState = {};

function Status({ state }: { state: FormState }) {
  if (state.error) {
    return (
      <p className="alert alert--error" role="alert">
        {state.error}
      </p>
    );
  }
  if (state.success) {
    return (
      <p className="alert alert--success" role="status">
        {state.success}
      </p>
    );
  }
  return null;
}

export function ProfileForm({ name }: { name: string }) {
  const [state, action, pending] = useActionState(
    updateProfileAction,
    initialState,
  );

  return (
    <form action={action} className="form" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <Status state={state} />
      <Field
        label="Name"
        name="name"
        autoComplete="name"
        required
        maxLength={100}
        defaultValue={state.values?.name ?? name}
        error={state.fieldErrors?.name}
      />
      <button type="submit" disabled={pending}>
        Save profile
      </button>
    </form>
  );
}

export function PasswordForm() {
  const [state, action, pending] = useActionState(
    changePasswordAction,
    initialState,
  );

  return (
    <form action={action} className="form" aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      <Status state={state} />
      <Field
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        maxLength={200}
        error={state.fieldErrors?.currentPassword}
      />
      <Field
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        maxLength={72}
        hint="12 to 72 characters."
        error={state.fieldErrors?.newPassword}
      />
      <button type="submit" disabled={pending}>
        Change password
      </button>
    </form>
  );
}
