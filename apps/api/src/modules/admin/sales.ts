import type { Db } from '../cart/service.js';
import type { SalesReport } from './schemas.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const TOP_PRODUCT_COUNT = 10;

interface DayRow {
  day: string;
  orders: number;
  revenue: bigint;
}

interface ProductRow {
  productId: string | null;
  sku: string;
  name: string;
  quantity: bigint;
  revenue: bigint;
}

/**
 * Builds the sales figures of the last `days` calendar days (UTC), today
 * included. Only paid, shipped and delivered orders count: pending orders
 * are not paid yet, and cancelled or refunded ones brought no revenue.
 * Revenue per day is the order total (shipping and tax included); revenue
 * per product is unit price times quantity.
 */
export async function buildSalesReport(
  db: Db,
  days: number,
  now: Date = new Date(),
): Promise<SalesReport> {
  const todayStart = Date.UTC(
    now.getUTCFullYear(),
    now.getUTCMonth(),
    now.getUTCDate(),
  );
  const since = new Date(todayStart - (days - 1) * DAY_MS).toISOString();

  const dayRows = await db.$queryRaw<DayRow[]>`
    SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
           count(*)::int AS orders,
           sum(total_cents)::bigint AS revenue
    FROM orders
    WHERE created_at >= ${since}::timestamptz
      AND status IN ('paid', 'shipped', 'delivered')
    GROUP BY 1`;

  const productRows = await db.$queryRaw<ProductRow[]>`
    SELECT oi.product_id::text AS "productId",
           oi.sku,
           max(oi.name) AS name,
           sum(oi.quantity)::bigint AS quantity,
           sum(oi.quantity::bigint * oi.unit_price_cents)::bigint AS revenue
    FROM order_items oi
    JOIN orders o ON o.id = oi.order_id
    WHERE o.created_at >= ${since}::timestamptz
      AND o.status IN ('paid', 'shipped', 'delivered')
    GROUP BY oi.product_id, oi.sku
    ORDER BY quantity DESC, revenue DESC, oi.sku ASC
    LIMIT ${TOP_PRODUCT_COUNT}`;

  // Every day of the window appears, with zeros on days without sales.
  const byDay = new Map(dayRows.map((row) => [row.day, row]));
  const dayFigures = [];
  for (let index = 0; index < days; index += 1) {
    const date = new Date(todayStart - (days - 1 - index) * DAY_MS)
      .toISOString()
      .slice(0, 10);
    const row = byDay.get(date);
    dayFigures.push({
      date,
      orders: row?.orders ?? 0,
      revenueCents: Number(row?.revenue ?? 0n),
    });
  }

  return {
    days: dayFigures,
    topProducts: productRows.map((row) => ({
      productId: row.productId,
      sku: row.sku,
      name: row.name,
      quantity: Number(row.quantity),
      revenueCents: Number(row.revenue),
    })),
    totals: {
      orders: dayFigures.reduce((sum, day) => sum + day.orders, 0),
      revenueCents: dayFigures.reduce((sum, day) => sum + day.revenueCents, 0),
    },
  };
}
