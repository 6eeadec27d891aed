'use client';

import { useActionState } from 'react';

import { createProductAction, updateProductAction } from '@/actions/admin';
import type { FormState } from '@/actions/form-state';
import { Field } from '@/components/ui/Field';
import type { AdminCategory, AdminProduct } from '@/lib/api/types';
import {
  MAX_PRODUCT_IMAGES,
  PRODUCT_IMAGES,
  productImagePath,
} from '@/lib/product-images';

const initialState: FormState = {};

function centsToText(cents: number | null | undefined): string {
  return cents === null || cents === undefined ? '' : (cents / 100).toFixed(2);
}

export function ProductForm({
  product,
  categories,
}: {
  product?: AdminProduct;
  categories: AdminCategory[];
}) {
  const [state, action, pending] = useActionState(
    product ? updateProductAction : createProductAction,
    initialState,
  );
  const v = state.values ?? {};
  const e = state.fieldErrors ?? {};

  return (
    <form action={action} className="form">
      {state.error ? (
        <p className="alert alert--error" role="alert">
          {state.error}
        </p>
      ) : null}
      {product ? <input type="hidden" name="id" value={product.id} /> : null}
      <Field
        label="Name"
        name="name"
        required
        maxLength={200}
        defaultValue={v.name ?? product?.name ?? ''}
        error={e.name}
      />
      <div className="form-grid">
        <Field
          label="SKU"
          name="sku"
          required
          pattern="[A-Za-z0-9_\-]{1,64}"
          maxLength={64}
          defaultValue={v.sku ?? product?.sku ?? ''}
          error={e.sku}
        />
        <Field
          label="Slug"
          name="slug"
          required
          pattern="[a-z0-9]+(-[a-z0-9]+)*"
          maxLength={120}
          hint="Lowercase letters, digits and dashes; used in the product URL."
          defaultValue={v.slug ?? product?.slug ?? ''}
          error={e.slug}
        />
      </div>
      <div className="field">
        <label htmlFor="field-description">Description</label>
        <textarea
          id="field-description"
          name="description"
          maxLength={5000}
          defaultValue={v.description ?? product?.description ?? ''}
        />
        {e.description ? <p className="field-error">{e.description}</p> : null}
      </div>
      <div className="form-grid">
        <Field
          label="Price (€)"
          name="price"
          required
          inputMode="decimal"
          pattern="\d{1,7}(\.\d{1,2})?"
          defaultValue={v.price ?? centsToText(product?.priceCents)}
          error={e.price}
        />
        <Field
          label="Compare-at price (€, optional)"
          name="compareAt"
          inputMode="decimal"
          pattern="\d{1,7}(\.\d{1,2})?"
          defaultValue={
            v.compareAt ?? centsToText(product?.compareAtPriceCents)
          }
          error={e.compareAt ?? e.compareAtPriceCents}
        />
        <Field
          label="Stock"
          name="stock"
          type="number"
          required
          min={0}
          max={1000000}
          defaultValue={v.stock ?? String(product?.stock ?? 0)}
          error={e.stock}
        />
      </div>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="field-status">Status</label>
          <select
            id="field-status"
            name="status"
            defaultValue={v.status ?? product?.status ?? 'active'}
          >
            <option value="active">Active</option>
            <option value="draft">Draft</option>
            <option value="archived">Archived</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="field-categoryId">Category</label>
          <select
            id="field-categoryId"
            name="categoryId"
            required
            defaultValue={v.categoryId ?? product?.categoryId ?? ''}
          >
            <option value="" disabled>
              Choose a category
            </option>
            {categories.map((category) => (
              <option key={category.id} value={category.id}>
                {category.name}
              </option>
            ))}
          </select>
          {e.categoryId ? <p className="field-error">{e.categoryId}</p> : null}
        </div>
      </div>
      <div className="field field--inline">
        <input
          id="field-featured"
          name="featured"
          type="checkbox"
          defaultChecked={
            v.featured ? v.featured === 'on' : (product?.featured ?? false)
          }
        />{' '}
        <label htmlFor="field-featured">Featured on the home page</label>
      </div>
      <ImagePicker
        current={product?.images ?? []}
        submitted={state.values ? (v.images ?? '') : undefined}
        error={e.images}
      />
      <button type="submit" disabled={pending}>
        {product ? 'Save product' : 'Create product'}
      </button>
    </form>
  );
}

/**
 * Checkboxes for the shipped product images. The product's current images
 * come first and in their saved order, because the first checked image is
 * the main one. Only those show a thumbnail, because every image request
 * counts against the API's per-client rate limit and the full list is
 * long. `submitted` contains the space-separated names of a failed
 * submission, which take precedence over the saved images.
 */
function ImagePicker({
  current,
  submitted,
  error,
}: {
  current: string[];
  submitted: string | undefined;
  error: string | undefined;
}) {
  const checked = new Set(
    submitted === undefined ? current : submitted.split(' ').filter(Boolean),
  );
  const options = [
    ...current,
    ...PRODUCT_IMAGES.filter((file) => !current.includes(file)),
  ];

  return (
    <fieldset
      className="field image-picker"
      aria-describedby={error ? 'field-images-error' : 'field-images-hint'}
    >
      <legend>Images</legend>
      <p id="field-images-hint" className="hint">
        Choose up to {MAX_PRODUCT_IMAGES}. The first checked image is the main
        image.
      </p>
      {error ? (
        <p id="field-images-error" className="field-error">
          {error}
        </p>
      ) : null}
      <div className="image-picker__options">
        {options.map((file) => (
          <label key={file} className="image-picker__option">
            <input
              type="checkbox"
              name="images"
              value={file}
              defaultChecked={checked.has(file)}
            />
            {current.includes(file) ? (
              <img src={productImagePath(file)} alt="" width={48} height={48} />
            ) : null}
            <span>{file}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
