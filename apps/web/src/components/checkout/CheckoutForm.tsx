'use client';

import { useActionState } from 'react';

import { placeOrderAction } from '@/actions/checkout';
import type { FormState } from '@/actions/form-state';
import { Field } from '@/components/ui/Field';

const initialState: FormState = {};

export function CheckoutForm({
  idempotencyKey,
  defaultName,
  countries,
}: {
  idempotencyKey: string;
  defaultName: string;
  countries: { code: string; name: string }[];
}) {
  const [state, action, pending] = useActionState(
    placeOrderAction,
    initialState,
  );
  const values = state.values ?? {};
  const errors = state.fieldErrors ?? {};

  return (
    <form action={action} className="form" aria-labelledby="address-title">
      <h2 id="address-title">Shipping address</h2>
      {state.error ? (
        <p className="alert alert--error" role="alert">
          {state.error}
        </p>
      ) : null}
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <Field
        label="Full name"
        name="fullName"
        autoComplete="name"
        required
        maxLength={100}
        defaultValue={values.fullName ?? defaultName}
        error={errors.fullName}
      />
      <Field
        label="Address line 1"
        name="line1"
        autoComplete="address-line1"
        required
        maxLength={200}
        defaultValue={values.line1 ?? ''}
        error={errors.line1}
      />
      <Field
        label="Address line 2 (optional)"
        name="line2"
        autoComplete="address-line2"
        maxLength={200}
        defaultValue={values.line2 ?? ''}
        error={errors.line2}
      />
      <div className="form-grid">
        <Field
          label="Postal code"
          name="postalCode"
          autoComplete="postal-code"
          required
          pattern="[A-Za-z0-9 \-]{2,12}"
          maxLength={12}
          defaultValue={values.postalCode ?? ''}
          error={errors.postalCode}
        />
        <Field
          label="City"
          name="city"
          autoComplete="address-level2"
          required
          maxLength={100}
          defaultValue={values.city ?? ''}
          error={errors.city}
        />
      </div>
      <div className="field">
        <label htmlFor="field-country">Country</label>
        <select
          id="field-country"
          name="country"
          required
          autoComplete="country"
          defaultValue={values.country ?? ''}
          aria-invalid={errors.country ? true : undefined}
          aria-describedby={errors.country ? 'field-country-error' : undefined}
        >
          <option value="" disabled>
            Choose a country
          </option>
          {countries.map((country) => (
            <option key={country.code} value={country.code}>
              {country.name}
            </option>
          ))}
        </select>
        {errors.country ? (
          <p id="field-country-error" className="field-error">
            {errors.country}
          </p>
        ) : null}
      </div>
      <h2>Payment</h2>
      <p className="hint" id="payment-hint">
        Payments are simulated: no card details are asked for and no money is
        charged.
      </p>
      <div className="field">
        <label htmlFor="field-card">Test card</label>
        <select
          id="field-card"
          name="card"
          defaultValue={values.card ?? 'approve'}
          aria-describedby="payment-hint"
        >
          <option value="approve">Test card that is approved</option>
          <option value="decline">Test card that is declined</option>
        </select>
      </div>
      <button type="submit" disabled={pending}>
        {pending ? 'Placing order…' : 'Place order'}
      </button>
    </form>
  );
}
