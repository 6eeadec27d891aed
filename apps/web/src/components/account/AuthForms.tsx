'use client';

import Link from 'next/link';
import { useActionState } from 'react';

import { registerAction, signInAction } from '@/actions/auth';
import type { FormState } from '@/actions/form-state';
import { Field } from '@/components/ui/Field';

const initialState: FormState = {};

export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState(signInAction, initialState);

  return (
    <form action={action} className="form" noValidate={false}>
      {state.error ? (
        <p className="alert alert--error" role="alert">
          {state.error}
        </p>
      ) : null}
      <input type="hidden" name="next" value={next} />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        maxLength={254}
        defaultValue={state.values?.email ?? ''}
        error={state.fieldErrors?.email}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        maxLength={200}
        error={state.fieldErrors?.password}
      />
      <button type="submit" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
      <p>
        New here?{' '}
        <Link prefetch={false} href="/register">
          Create an account
        </Link>
      </p>
    </form>
  );
}

export function RegisterForm() {
  const [state, action, pending] = useActionState(registerAction, initialState);

  return (
    <form action={action} className="form">
      {state.error ? (
        <p className="alert alert--error" role="alert">
          {state.error}
        </p>
      ) : null}
      <Field
        label="Name"
        name="name"
        autoComplete="name"
        required
        maxLength={100}
        defaultValue={state.values?.name ?? ''}
        error={state.fieldErrors?.name}
      />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        maxLength={254}
        defaultValue={state.values?.email ?? ''}
        error={state.fieldErrors?.email}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        maxLength={72}
        hint="12 to 72 characters. A long passphrase works well."
        error={state.fieldErrors?.password}
      />
      <button type="submit" disabled={pending}>
        {pending ? 'Creating account…' : 'Create account'}
      </button>
      <p>
        Already registered?{' '}
        <Link prefetch={false} href="/signin">
          Sign in
        </Link>
      </p>
    </form>
  );
}
