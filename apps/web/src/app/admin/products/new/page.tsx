import type { Metadata } from 'next';

import { ProductForm } from '@/components/admin/ProductForm';
import { withServiceErrorState } from '@/components/ui/ServiceUnavailable';
import { listAdminCategories } from '@/lib/api/admin';
import { apiContext, requireAdmin } from '@/lib/session/session';

export const metadata: Metadata = { title: 'New product' };

async function NewProductPage() {
  await requireAdmin();
  const categories = await listAdminCategories(await apiContext());

  return (
    <>
      <h1>New product</h1>
      <ProductForm
        categories={categories.items.filter((category) => category.active)}
      />
    </>
  );
}

export default withServiceErrorState('New product', NewProductPage);
