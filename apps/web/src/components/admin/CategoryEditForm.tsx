'use client';

import { useActionState } from 'react';

import { updateCategoryAction } from '@/actions/admin';
import type { FormState } from '@/actions/form-state';
import { Field } from '@/components/ui/Field';
import type { AdminCategory } from '@/lib/api/types';

const initialState: FormState = {};

/**
 * Edits a category's name, description, parent, sort order and state.
 * `parents` lists the categories it may move under: the page leaves out
 * the category itself and its subcategories, and the API rejects a cycle
 * again with 409.
 */
export function CategoryEditForm({
  category,
  parents,
}: {
  category: AdminCategory;
  parents: AdminCategory[];
}) {
  const [state, action, pending] = useActionState(
    updateCategoryAction,
    initialState,
  );
  const v = state.values ?? {};
  const e = state.fieldErrors ?? {};
  const activeChecked = state.values
    ? state.values.active === 'on'
    : category.active;

  return (
    <form action={action} className="form">
      {state.error ? (
        <p className="alert alert--error" role="alert">
          {state.error}
        </p>
      ) : null}
      <input type="hidden" name="id" value={category.id} />
      <Field
        label="Name"
        name="name"
        required
        maxLength={120}
        defaultValue={v.name ?? category.name}
        error={e.name}
      />
      <Field
        label="Description"
        name="description"
        maxLength={2000}
        defaultValue={v.description ?? category.description ?? ''}
        error={e.description}
      />
      <div className="field">
        <label htmlFor="field-parentId">Parent category</label>
        <select
          id="field-parentId"
          name="parentId"
          defaultValue={v.parentId ?? category.parentId ?? ''}
          aria-invalid={e.parentId ? true : undefined}
          aria-describedby={e.parentId ? 'field-parentId-error' : undefined}
        >
          <option value="">None (top level)</option>
          {parents.map((parent) => (
            <option key={parent.id} value={parent.id}>
              {parent.name}
              {parent.active ? '' : ' (archived)'}
            </option>
          ))}
        </select>
        {e.parentId ? (
          <p id="field-parentId-error" className="field-error">
            {e.parentId}
          </p>
        ) : null}
      </div>
      <Field
        label="Sort order"
        name="sortOrder"
        type="number"
        required
        min={-10000}
        max={10000}
        step={1}
        hint="Lower numbers come first among categories of the same parent."
        defaultValue={v.sortOrder ?? String(category.sortOrder)}
        error={e.sortOrder}
      />
      <div className="field field--inline">
        <input
          id="field-active"
          name="active"
          type="checkbox"
          defaultChecked={activeChecked}
        />{' '}
        <label htmlFor="field-active">Active (shown in the shop)</label>
      </div>
      <button type="submit" disabled={pending}>
        Save category
      </button>
    </form>
  );
}
