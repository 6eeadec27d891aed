import Link from 'next/link';

import type { AdminOrderSummary, OrderSummary } from '@/lib/api/types';
import { formatDate, formatMoney } from '@/lib/format';

export function OrderTable({
  orders,
  hrefBase,
}: {
  orders: (OrderSummary | AdminOrderSummary)[];
  hrefBase: string;
}) {
  const showCustomer = orders.some((order) => 'customerEmail' in order);

  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Orders</caption>
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Date</th>
            {showCustomer ? <th scope="col">Customer</th> : null}
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Items
            </th>
            <th scope="col" className="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {orders.map((order) => (
            <tr key={order.id}>
              <td>
                <Link
                  prefetch={false}
                  href={`${hrefBase}/${encodeURIComponent(order.number)}`}
                >
                  {order.number}
                </Link>
              </td>
              <td>{formatDate(order.createdAt)}</td>
              {showCustomer ? (
                <td>{'customerEmail' in order ? order.customerEmail : ''}</td>
              ) : null}
              <td>
                <span className="status">{order.status}</span>
              </td>
              <td className="num">{order.itemCount}</td>
              <td className="num">
                {formatMoney(order.totalCents, order.currency)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
