import type { Metadata } from 'next';
import Link from 'next/link';

import { archiveCategoryAction } from '@/actions/admin';
import { CategoryForm } from '@/components/admin/CategoryForm';
import { Notice } from '@/components/ui/Notice';
import { withServiceErrorState } from '@/components/ui/ServiceUnavailable';
import { listAdminCategories } from '@/lib/api/admin';
import { firstParam } from '@/lib/format';
import { apiContext, requireAdmin } from '@/lib/session/session';

export const metadata: Metadata = { title: 'Categories' };

async function AdminCategoriesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdmin();
  const query = await searchParams;
  const { items } = await listAdminCategories(await apiContext());
  const nameById = new Map(
    items.map((category) => [category.id, category.name]),
  );

  return (
    <>
      <h1>Categories</h1>
      <Notice
        notice={firstParam(query.notice)}
        error={firstParam(query.error)}
      />
      {items.length === 0 ? (
        <p className="empty">No categories yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="hide-narrow">
                  Slug
                </th>
                <th scope="col">Parent</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((category) => (
                <tr key={category.id}>
                  <td>
                    <Link
                      prefetch={false}
                      href={`/admin/categories/${encodeURIComponent(category.id)}`}
                    >
                      {category.name}
                    </Link>
                  </td>
                  <td className="hide-narrow">{category.slug}</td>
                  <td>
                    {category.parentId ? nameById.get(category.parentId) : '–'}
                  </td>
                  <td>{category.active ? 'Active' : 'Archived'}</td>
                  <td>
                    {category.active ? (
                      <form action={archiveCategoryAction}>
                        <input type="hidden" name="id" value={category.id} />
                        <button type="submit" className="link-button">
                          Archive
                          <span className="visually-hidden">
                            {' '}
                            {category.name}
                          </span>
                        </button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CategoryForm categories={items.filter((category) => category.active)} />
    </>
  );
}

export default withServiceErrorState('Categories', AdminCategoriesPage);
