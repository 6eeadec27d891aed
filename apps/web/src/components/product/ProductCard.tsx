import Link from 'next/link';

import type { ProductSummary } from '@/lib/api/types';

import { Price } from './Price';
import { StockState } from './StockState';

export function ProductCard({ product }: { product: ProductSummary }) {
  return (
    <article className="product-card">
      {product.imageUrl ? (
        <img
          src={product.imageUrl}
          alt=""
          width={400}
          height={300}
          loading="lazy"
        />
      ) : null}
      <h3>
        <Link href={`/products/${encodeURIComponent(product.slug)}`}>
          {product.name}
        </Link>
      </h3>
      <Price
        cents={product.priceCents}
        compareAtCents={product.compareAtPriceCents}
        currency={product.currency}
      />
      <StockState stock={product.stock} inStock={product.inStock} />
    </article>
  );
}

export function ProductGrid({ products }: { products: ProductSummary[] }) {
  return (
    <ul className="product-grid">
      {products.map((product) => (
        <li key={product.id}>
          <ProductCard product={product} />
        </li>
      ))}
    </ul>
  );
}
