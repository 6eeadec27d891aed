import type {
  OrderStatus,
  Prisma,
  PrismaClient,
} from '../../generated/prisma/client.js';
import type { Db } from '../cart/service.js';
import type { Paged } from '../catalog/schemas.js';
import {
  changeOrderStatus,
  orderSummarySelect,
  orderViewInclude,
  toOrderSummary,
  toOrderView,
} from '../orders/service.js';
import type {
  AdminOrder,
  AdminOrderListQuery,
  AdminOrderSummary,
} from './schemas.js';

const DAY_MS = 24 * 60 * 60 * 1000;

function buildWhere(query: AdminOrderListQuery): Prisma.OrderWhereInput {
  const where: Prisma.OrderWhereInput = { status: query.status };

  if (query.from !== undefined || query.to !== undefined) {
    where.createdAt = {
      gte:
        query.from === undefined
          ? undefined
          : new Date(`${query.from}T00:00:00Z`),
      // `to` is inclusive: everything before the next day's midnight (UTC).
      lt:
        query.to === undefined
          ? undefined
          : new Date(Date.parse(`${query.to}T00:00:00Z`) + DAY_MS),
    };
  }
  if (query.q !== undefined) {
    where.OR = [
      { number: { contains: query.q, mode: 'insensitive' } },
      { user: { email: { contains: query.q, mode: 'insensitive' } } },
    ];
  }
  return where;
}

/** Lists the orders of every customer, newest first, with filters. */
export async function listAdminOrders(
  db: Db,
  query: AdminOrderListQuery,
): Promise<Paged<AdminOrderSummary>> {
  const where = buildWhere(query);

  const [total, rows] = await Promise.all([
    db.order.count({ where }),
    db.order.findMany({
      where,
      select: { ...orderSummarySelect, user: { select: { email: true } } },
      orderBy: [{ createdAt: 'desc' }, { number: 'desc' }],
      skip: (query.page - 1) * query.limit,
      take: query.limit,
    }),
  ]);

  return {
    items: rows.map((row) => ({
      ...toOrderSummary(row),
      customerEmail: row.user.email,
    })),
    page: query.page,
    limit: query.limit,
    total,
    totalPages: Math.ceil(total / query.limit),
  };
}

export async function findAdminOrder(
  db: Db,
  number: string,
): Promise<AdminOrder | null> {
  const order = await db.order.findUnique({
    where: { number },
    include: { ...orderViewInclude, user: { select: { email: true } } },
  });
  if (order === null) return null;

  return { ...toOrderView(order), customerEmail: order.user.email };
}

/**
 * Changes an order's status through the state machine. Returns null
 * when no order has this number.
 */
export async function changeAdminOrderStatus(
  prisma: PrismaClient,
  number: string,
  status: OrderStatus,
): Promise<AdminOrder | null> {
  const changed = await changeOrderStatus(prisma, { number }, status);
  return changed === null ? null : findAdminOrder(prisma, number);
}
