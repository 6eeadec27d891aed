import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';

import { addToCartAction } from '@/actions/cart';
import { Price } from '@/components/product/Price';
import { StockState } from '@/components/product/StockState';
import { Notice } from '@/components/ui/Notice';
import {
  ServiceUnavailable,
  isServiceFailure,
} from '@/components/ui/ServiceUnavailable';
import { getProduct } from '@/lib/api/catalog';
import { ApiError } from '@/lib/api/errors';
import { firstParam } from '@/lib/format';
import { getClientIp } from '@/lib/session/session';

/** Loads the product once per request; null when the API is unavailable. */
const loadProduct = cache(async (slug: string) => {
  try {
    return await getProduct(slug, { clientIp: await getClientIp() });
  } catch (error) {
    if (
      error instanceof ApiError &&
      (error.status === 404 || error.status === 400)
    )
      notFound();
    if (isServiceFailure(error)) return null;
    throw error;
  }
});

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const product = await loadProduct((await params).slug);
  if (!product) return { title: 'Product' };
  return {
    title: product.name,
    description: product.description.slice(0, 160),
  };
}

export default async function ProductPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const query = await searchParams;
  const product = await loadProduct(slug);
  if (!product) return <ServiceUnavailable title="Product" />;

  const image = product.images[0] ?? product.imageUrl;
  const maxQuantity = Math.min(99, product.stock);

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <ol>
          <li>
            <Link prefetch={false} href="/">
              Home
            </Link>
          </li>
          <li>
            <Link
              prefetch={false}
              href={`/categories/${encodeURIComponent(product.category.slug)}`}
            >
              {product.category.name}
            </Link>
          </li>
          <li aria-current="page">{product.name}</li>
        </ol>
      </nav>
      <Notice
        notice={firstParam(query.notice)}
        error={firstParam(query.error)}
      />
      <article className="product-detail">
        {image ? (
          <img
            src={image}
            alt={product.name}
            width={400}
            height={400}
            fetchPriority="high"
          />
        ) : (
          <div />
        )}
        <div>
          <h1>{product.name}</h1>
          <Price
            cents={product.priceCents}
            compareAtCents={product.compareAtPriceCents}
            currency={product.currency}
          />
          <StockState stock={product.stock} inStock={product.inStock} />
          <p className="hint">SKU {product.sku}</p>
          {product.inStock && product.stock > 0 ? (
            <form action={addToCartAction} className="inline-form">
              <input type="hidden" name="productId" value={product.id} />
              <input type="hidden" name="slug" value={product.slug} />
              <label htmlFor="quantity">Quantity</label>
              <input
                id="quantity"
                name="quantity"
                type="number"
                min={1}
                max={maxQuantity}
                defaultValue={1}
                required
              />
              <button type="submit">Add to cart</button>
            </form>
          ) : (
            <p>This product is out of stock. Check back later.</p>
          )}
          <h2>Description</h2>
          <p>{product.description}</p>
        </div>
      </article>
    </>
  );
}
