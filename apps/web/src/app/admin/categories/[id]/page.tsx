import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';

import { CategoryEditForm } from '@/components/admin/CategoryEditForm';
import { withServiceErrorState } from '@/components/ui/ServiceUnavailable';
import { listAdminCategories } from '@/lib/api/admin';
import type { AdminCategory } from '@/lib/api/types';
import { apiContext, requireAdmin } from '@/lib/session/session';

export const metadata: Metadata = { title: 'Edit category' };

/** Returns the ids of `rootId` and of every category below it. */
function subtreeIds(categories: AdminCategory[], rootId: string): Set<string> {
  const ids = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const category of categories) {
      if (
        category.parentId &&
        ids.has(category.parentId) &&
        !ids.has(category.id)
      ) {
        ids.add(category.id);
        grew = true;
      }
    }
  }
  return ids;
}

async function EditCategoryPage({
  params,
}: {
  params: Promise<{ id: string }>;
}) {
  await requireAdmin();
  const { id } = await params;
  // The API has no single-category read, and the list is small.
  const { items } = await listAdminCategories(await apiContext());
  const category = items.find((item) => item.id === id);
  if (!category) notFound();

  const excluded = subtreeIds(items, category.id);
  const parents = items.filter((item) => !excluded.has(item.id));

  return (
    <>
      <p>
        <Link prefetch={false} href="/admin/categories">
          All categories
        </Link>
      </p>
      <h1>Edit {category.name}</h1>
      <p className="hint">Slug: {category.slug}</p>
      <CategoryEditForm category={category} parents={parents} />
    </>
  );
}

export default withServiceErrorState('Edit category', EditCategoryPage);
