import Link from 'next/link';

import { ProductGrid } from '@/components/product/ProductCard';
import {
  ServiceUnavailable,
  isServiceFailure,
} from '@/components/ui/ServiceUnavailable';
import { listCategories, listProducts } from '@/lib/api/catalog';
import { getClientIp } from '@/lib/session/session';

export default async function HomePage() {
  const clientIp = await getClientIp();
  let featured, categories;
  try {
    [featured, categories] = await Promise.all([
      listProducts({ featured: true, limit: 8, sort: 'newest' }, { clientIp }),
      listCategories({ clientIp }),
    ]);
  } catch (error) {
    if (isServiceFailure(error))
      return (
        <ServiceUnavailable title="Welcome to Hardened Shop" error={error} />
      );
    throw error;
  }

  return (
    <>
      <h1>Welcome to Hardened Shop</h1>
      <section aria-labelledby="categories-title">
        <h2 id="categories-title">Shop by category</h2>
        {categories.items.length === 0 ? (
          <p className="empty">No categories yet.</p>
        ) : (
          <ul className="chips">
            {categories.items.map((category) => (
              <li key={category.id}>
                <Link
                  prefetch={false}
                  href={`/categories/${encodeURIComponent(category.slug)}`}
                >
                  {category.name}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="featured-title">
        <h2 id="featured-title">Featured products</h2>
        {featured.items.length === 0 ? (
          <p className="empty">
            No featured products right now.{' '}
            <Link prefetch={false} href="/products">
              Browse all products
            </Link>
            .
          </p>
        ) : (
          <ProductGrid products={featured.items} headingLevel={3} />
        )}
      </section>
    </>
  );
}
