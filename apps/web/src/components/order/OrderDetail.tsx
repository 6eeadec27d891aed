import type { Order } from '@/lib/api/types';
import { formatDate, formatMoney } from '@/lib/format';

import { Totals } from './Totals';

export function OrderDetail({ order }: { order: Order }) {
  const address = order.shippingAddress;

  return (
    <div className="stack">
      <p>
        Status:{' '}
        <span className="status" data-testid="order-status">
          {order.status}
        </span>{' '}
        · Placed {formatDate(order.createdAt)}
      </p>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">
            Items in order {order.number}
          </caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" className="num">
                Price
              </th>
              <th scope="col" className="num">
                Quantity
              </th>
              <th scope="col" className="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {order.items.map((item) => (
              <tr key={item.productId}>
                <td>{item.name}</td>
                <td className="num">
                  {formatMoney(item.unitPriceCents, order.currency)}
                </td>
                <td className="num">{item.quantity}</td>
                <td className="num">
                  {formatMoney(item.lineTotalCents, order.currency)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Totals {...order} />
      <section aria-labelledby="ship-title">
        <h2 id="ship-title">Shipping address</h2>
        <address>
          {address.fullName}
          <br />
          {address.line1}
          {address.line2 ? (
            <>
              <br />
              {address.line2}
            </>
          ) : null}
          <br />
          {address.postalCode} {address.city}
          <br />
          {address.country}
        </address>
      </section>
    </div>
  );
}
