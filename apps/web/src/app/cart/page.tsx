import type { Metadata } from 'next';
import Link from 'next/link';

import { removeCartItemAction, updateCartItemAction } from '@/actions/cart';
import { Totals } from '@/components/order/Totals';
import { Notice } from '@/components/ui/Notice';
import { withServiceErrorState } from '@/components/ui/ServiceUnavailable';
import { getCart } from '@/lib/api/account';
import { firstParam, formatMoney } from '@/lib/format';
import { apiContext, requireUser } from '@/lib/session/session';

export const metadata: Metadata = { title: 'Cart' };

async function CartPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireUser('/cart');
  const params = await searchParams;
  const cart = await getCart(await apiContext());

  return (
    <>
      <h1>Your cart</h1>
      <Notice
        notice={firstParam(params.notice)}
        error={firstParam(params.error)}
      />
      {cart.items.length === 0 ? (
        <p className="empty">
          Your cart is empty.{' '}
          <Link prefetch={false} href="/products">
            Browse products
          </Link>
          .
        </p>
      ) : (
        <>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Items in your cart</caption>
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col" className="num hide-narrow">
                    Price
                  </th>
                  <th scope="col">Quantity</th>
                  <th scope="col" className="num">
                    Total
                  </th>
                </tr>
              </thead>
              <tbody>
                {cart.items.map((item) => (
                  <tr key={item.productId}>
                    <td>
                      <Link
                        prefetch={false}
                        href={`/products/${encodeURIComponent(item.slug)}`}
                      >
                        {item.name}
                      </Link>
                    </td>
                    <td className="num hide-narrow">
                      {formatMoney(item.unitPriceCents, cart.currency)}
                    </td>
                    <td>
                      <form
                        action={updateCartItemAction}
                        className="inline-form"
                      >
                        <input
                          type="hidden"
                          name="productId"
                          value={item.productId}
                        />
                        <label
                          htmlFor={`qty-${item.productId}`}
                          className="visually-hidden"
                        >
                          Quantity of {item.name}
                        </label>
                        <input
                          id={`qty-${item.productId}`}
                          name="quantity"
                          type="number"
                          min={1}
                          max={Math.max(1, Math.min(99, item.stock))}
                          defaultValue={item.quantity}
                          required
                        />
                        <button type="submit" className="button--secondary">
                          Update
                          <span className="visually-hidden"> {item.name}</span>
                        </button>
                      </form>
                      <form action={removeCartItemAction}>
                        <input
                          type="hidden"
                          name="productId"
                          value={item.productId}
                        />
                        <button type="submit" className="link-button">
                          Remove
                          <span className="visually-hidden"> {item.name}</span>
                        </button>
                      </form>
                    </td>
                    <td className="num">
                      {formatMoney(item.lineTotalCents, cart.currency)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Totals {...cart} />
          <p className="totals">
            <Link prefetch={false} href="/checkout" className="button">
              Go to checkout
            </Link>
          </p>
        </>
      )}
    </>
  );
}

export default withServiceErrorState('Your cart', CartPage);
