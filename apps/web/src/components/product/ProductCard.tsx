import Link from 'next/link';

import type { ProductSummary } from '@/lib/api/types';

import { Price } from './Price';
import { StockState } from './StockState';

type HeadingLevel = 2 | 3;

/** Cards whose images load at once: about one row on a desktop screen. */
const EAGER_IMAGES = 4;

export function ProductCard({
  product,
  headingLevel,
  eager = false,
}: {
  product: ProductSummary;
  headingLevel: HeadingLevel;
  /** Load the image at once, for cards in the first screenful. */
  eager?: boolean;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';

  return (
    <article className="product-card">
      {product.imageUrl ? (
        <img
          src={product.imageUrl}
          alt=""
          width={400}
          height={400}
          loading={eager ? 'eager' : 'lazy'}
          fetchPriority={eager ? 'high' : 'auto'}
        />
      ) : null}
      <Heading className="product-card__title">
        <Link
          prefetch={false}
          href={`/products/${encodeURIComponent(product.slug)}`}
        >
          {product.name}
        </Link>
      </Heading>
      <Price
        cents={product.priceCents}
        compareAtCents={product.compareAtPriceCents}
        currency={product.currency}
      />
      <StockState stock={product.stock} inStock={product.inStock} />
    </article>
  );
}

/**
 * Product cards in a responsive grid. `headingLevel` keeps the heading
 * outline intact: 2 directly under the page's h1, 3 under a section's h2.
 */
export function ProductGrid({
  products,
  headingLevel = 2,
}: {
  products: ProductSummary[];
  headingLevel?: HeadingLevel;
}) {
  return (
    <ul className="product-grid">
      {products.map((product, index) => (
        <li key={product.id}>
          <ProductCard
            product={product}
            headingLevel={headingLevel}
            eager={index < EAGER_IMAGES}
          />
        </li>
      ))}
    </ul>
  );
}
