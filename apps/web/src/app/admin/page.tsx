import type { Metadata } from 'next';

import { withServiceErrorState } from '@/components/ui/ServiceUnavailable';
import { getSales } from '@/lib/api/admin';
import { formatMoney } from '@/lib/format';
import { apiContext, requireAdmin } from '@/lib/session/session';

export const metadata: Metadata = { title: 'Sales overview' };

const CURRENCY = 'EUR';

async function AdminSalesPage() {
  await requireAdmin();
  const sales = await getSales(30, await apiContext());
  const maxRevenue = Math.max(1, ...sales.days.map((day) => day.revenueCents));

  return (
    <>
      <h1>Sales overview</h1>
      <p>
        Last 30 days: <strong>{sales.totals.orders}</strong> orders,{' '}
        <strong>{formatMoney(sales.totals.revenueCents, CURRENCY)}</strong>{' '}
        revenue (cancelled and refunded orders excluded).
      </p>
      <h2>Top products</h2>
      {sales.topProducts.length === 0 ? (
        <p className="empty">No sales in this period.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">SKU</th>
                <th scope="col" className="num">
                  Quantity
                </th>
                <th scope="col" className="num">
                  Revenue
                </th>
              </tr>
            </thead>
            <tbody>
              {sales.topProducts.map((product) => (
                <tr key={product.productId}>
                  <td>{product.name}</td>
                  <td>{product.sku}</td>
                  <td className="num">{product.quantity}</td>
                  <td className="num">
                    {formatMoney(product.revenueCents, CURRENCY)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Revenue per day</h2>
      {sales.days.length === 0 ? (
        <p className="empty">No orders in this period.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col" className="num">
                  Orders
                </th>
                <th scope="col" className="num">
                  Revenue
                </th>
                <th scope="col">Share of best day</th>
              </tr>
            </thead>
            <tbody>
              {sales.days.map((day) => (
                <tr key={day.date}>
                  <td>{day.date}</td>
                  <td className="num">{day.orders}</td>
                  <td className="num">
                    {formatMoney(day.revenueCents, CURRENCY)}
                  </td>
                  <td>
                    <meter
                      min={0}
                      max={maxRevenue}
                      value={day.revenueCents}
                      aria-label={`Revenue on ${day.date}`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export default withServiceErrorState('Sales overview', AdminSalesPage);
