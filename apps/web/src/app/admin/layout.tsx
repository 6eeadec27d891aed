import Link from 'next/link';
import type { ReactNode } from 'react';

import { requireAdmin } from '@/lib/session/session';

export default async function AdminLayout({
  children,
}: {
  children: ReactNode;
}) {
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
