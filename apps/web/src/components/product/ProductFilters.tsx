import { PRODUCT_SORTS, type ProductSort } from '@/lib/api/catalog';
import type { CategoryNode } from '@/lib/api/types';

export const SORT_LABELS: Record<ProductSort, string> = {
  newest: 'Newest',
  price_asc: 'Price: low to high',
  price_desc: 'Price: high to low',
  name_asc: 'Name: A to Z',
  name_desc: 'Name: Z to A',
};

function flatten(
  nodes: CategoryNode[],
  depth = 0,
): { slug: string; label: string }[] {
  return nodes.flatMap((node) => [
    { slug: node.slug, label: `${'– '.repeat(depth)}${node.name}` },
    ...flatten(node.children, depth + 1),
  ]);
}

/** Filter and sort form; a GET form, so the state lives in the URL. */
export function ProductFilters({
  categories,
  values,
}: {
  categories: CategoryNode[];
  values: Record<string, string | undefined>;
}) {
  return (
    <form
      method="get"
      action="/products"
      className="filters"
      aria-label="Filter products"
    >
      <fieldset>
        <legend className="visually-hidden">Filters</legend>
        <div className="field">
          <label htmlFor="filter-category">Category</label>
          <select
            id="filter-category"
            name="category"
            defaultValue={values.category ?? ''}
          >
            <option value="">All categories</option>
            {flatten(categories).map((option) => (
              <option key={option.slug} value={option.slug}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-min">Minimum price (€)</label>
          <input
            id="filter-min"
            name="min"
            type="number"
            min={0}
            step="0.01"
            inputMode="decimal"
            defaultValue={values.min ?? ''}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-max">Maximum price (€)</label>
          <input
            id="filter-max"
            name="max"
            type="number"
            min={0}
            step="0.01"
            inputMode="decimal"
            defaultValue={values.max ?? ''}
          />
        </div>
        <div className="field field--inline">
          <input
            id="filter-stock"
            name="inStock"
            type="checkbox"
            value="true"
            defaultChecked={values.inStock === 'true'}
          />{' '}
          <label htmlFor="filter-stock">In stock only</label>
        </div>
        <div className="field">
          <label htmlFor="filter-sort">Sort by</label>
          <select
            id="filter-sort"
            name="sort"
            defaultValue={values.sort ?? 'newest'}
          >
            {PRODUCT_SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {SORT_LABELS[sort]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Apply</button>
      </fieldset>
    </form>
  );
}
