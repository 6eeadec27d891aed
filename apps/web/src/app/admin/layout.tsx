import Link from 'next/link';
import type { ReactNode } from 'react';

import { withServiceErrorState } from '@/components/ui/ServiceUnavailable';
import { requireAdmin } from '@/lib/session/session';

async function AdminLayout({ children }: { children: ReactNode }) {
  // Each admin page calls requireAdmin() again, because a layout is not
  // re-rendered on every navigation and must not be the only check.
  await requireAdmin();

  return (
    <>
      <nav aria-label="Admin" className="admin-nav">
        <Link prefetch={false} href="/admin">
          Sales
        </Link>
        <Link prefetch={false} href="/admin/products">
          Products
        </Link>
        <Link prefetch={false} href="/admin/categories">
          Categories
        </Link>
        <Link prefetch={false} href="/admin/orders">
          Orders
        </Link>
      </nav>
      {children}
    </>
  );
}

// The title is neutral: with the API down the role is unknown, and the admin
// area must not reveal itself to a customer.
export default withServiceErrorState('Page unavailable', AdminLayout);
