'use client';

import { useActionState } from 'react';

import { createCategoryAction } from '@/actions/admin';
import type { FormState } from '@/actions/form-state';
import { Field } from '@/components/ui/Field';
import type { AdminCategory } from '@/lib/api/types';

const initialState: FormState = {};

export function CategoryForm({ categories }: { categories: AdminCategory[] }) {
  const [state, action, pending] = useActionState(
    createCategoryAction,
    initialState,
  );
  const v = state.values ?? {};
  const e = state.fieldErrors ?? {};

  return (
    <form action={action} className="form" aria-labelledby="new-category-title">
      <h2 id="new-category-title">New category</h2>
      {state.error ? (
        <p className="alert alert--error" role="alert">
          {state.error}
        </p>
      ) : null}
      {state.success ? (
        <p className="alert alert--success" role="status">
          {state.success}
        </p>
      ) : null}
      <Field
        label="Name"
        name="name"
        required
        maxLength={100}
        defaultValue={v.name ?? ''}
        error={e.name}
      />
      <Field
        label="Slug"
        name="slug"
        required
        pattern="[a-z0-9]+(-[a-z0-9]+)*"
        maxLength={120}
        defaultValue={v.slug ?? ''}
        error={e.slug}
      />
      <Field
        label="Description"
        name="description"
        maxLength={1000}
        defaultValue={v.description ?? ''}
      />
      <div className="field">
        <label htmlFor="field-parentId">Parent category</label>
        <select
          id="field-parentId"
          name="parentId"
          defaultValue={v.parentId ?? ''}
        >
          <option value="">None (top level)</option>
          {categories.map((category) => (
            <option key={category.id} value={category.id}>
              {category.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={pending}>
        Create category
      </button>
    </form>
  );
}
