import type {
  OrderStatus,
  Prisma,
  PrismaClient,
} from '../../generated/prisma/client.js';
import { AppError } from '../../errors.js';
import type { Db } from '../cart/service.js';
import type { Paged } from '../catalog/schemas.js';
import type {
  OrderSummaryView,
  OrderView,
  ShippingAddress,
} from './schemas.js';
import {
  canTransition,
  restocksOnTransition,
  statusTimestampData,
} from './state-machine.js';

export const orderViewInclude = {
  items: { orderBy: { sku: 'asc' } },
} satisfies Prisma.OrderInclude;

type OrderRow = Prisma.OrderGetPayload<{ include: typeof orderViewInclude }>;

export function toOrderView(order: OrderRow): OrderView {
  return {
    id: order.id,
    number: order.number,
    status: order.status,
    items: order.items.map((item) => ({
      productId: item.productId,
      sku: item.sku,
      name: item.name,
      unitPriceCents: item.unitPriceCents,
      quantity: item.quantity,
      lineTotalCents: item.unitPriceCents * item.quantity,
    })),
    subtotalCents: order.subtotalCents,
    shippingCents: order.shippingCents,
    taxCents: order.taxCents,
    totalCents: order.totalCents,
    currency: order.currency,
    // Written only by checkout, from a validated ShippingAddress.
    shippingAddress: order.shippingAddress as ShippingAddress,
    createdAt: order.createdAt,
    paidAt: order.paidAt,
    shippedAt: order.shippedAt,
    deliveredAt: order.deliveredAt,
    cancelledAt: order.cancelledAt,
    refundedAt: order.refundedAt,
  };
}

/** Loads one order by id or number, limited to one user when `userId` is given. */
export async function findOrder(
  db: Db,
  where: { id?: string; number?: string; userId?: string },
): Promise<OrderView | null> {
  const order = await db.order.findFirst({ where, include: orderViewInclude });
  return order === null ? null : toOrderView(order);
}

export const orderSummarySelect = {
  id: true,
  number: true,
  status: true,
  totalCents: true,
  currency: true,
  createdAt: true,
  items: { select: { quantity: true } },
} satisfies Prisma.OrderSelect;

type OrderSummaryRow = Prisma.OrderGetPayload<{
  select: typeof orderSummarySelect;
}>;

export function toOrderSummary(order: OrderSummaryRow): OrderSummaryView {
  return {
    id: order.id,
    number: order.number,
    status: order.status,
    totalCents: order.totalCents,
    currency: order.currency,
    itemCount: order.items.reduce((sum, item) => sum + item.quantity, 0),
    createdAt: order.createdAt,
  };
}

/** Lists one user's orders, newest first. */
export async function listOrders(
  db: Db,
  userId: string,
  page: number,
  limit: number,
): Promise<Paged<OrderSummaryView>> {
  const where = { userId };
  const [total, rows] = await Promise.all([
    db.order.count({ where }),
    db.order.findMany({
      where,
      select: orderSummarySelect,
      orderBy: [{ createdAt: 'desc' }, { number: 'desc' }],
      skip: (page - 1) * limit,
      take: limit,
    }),
  ]);

  return {
    items: rows.map(toOrderSummary),
    page,
    limit,
    total,
    totalPages: Math.ceil(total / limit),
  };
}

/**
 * Moves an order to `to` through the state machine and restocks when the
 * change returns the goods to the warehouse. Returns null when no order
 * matches (another user's order included), and raises INVALID_TRANSITION
 * when the change is not allowed from the current status.
 */
export async function changeOrderStatus(
  prisma: PrismaClient,
  where: { number: string; userId?: string },
  to: OrderStatus,
): Promise<OrderView | null> {
  return prisma.$transaction(async (tx) => {
    const order = await tx.order.findFirst({
      where,
      select: {
        id: true,
        status: true,
        items: { select: { productId: true, quantity: true } },
      },
    });
    if (order === null) return null;

    const from = order.status;
    if (!canTransition(from, to)) {
      throw new AppError(
        'INVALID_TRANSITION',
        `An order cannot change from ${from} to ${to}.`,
      );
    }

    // The status in the WHERE clause makes two concurrent changes of one
    // order exclusive, so a cancel can never restock twice.
    const { count } = await tx.order.updateMany({
      where: { id: order.id, status: from },
      data: { status: to, ...statusTimestampData(to, new Date()) },
    });
    if (count === 0) {
      throw new AppError(
        'INVALID_TRANSITION',
        'The order changed while this request ran: reload it and retry.',
      );
    }

    if (restocksOnTransition(from, to)) {
      await restockItems(tx, order.items);
    }

    return findOrder(tx, { id: order.id });
  });
}

async function restockItems(
  tx: Prisma.TransactionClient,
  items: { productId: string | null; quantity: number }[],
): Promise<void> {
  // Same lock order as checkout (by product id), so a restock and a
  // checkout cannot wait on each other's product rows in a cycle.
  // Items of a deleted product have no productId and nothing to restock.
  const lines = items.flatMap(({ productId, quantity }) =>
    productId === null ? [] : [{ productId, quantity }],
  );
  lines.sort(compareByProductId);

  for (const line of lines) {
    await tx.product.updateMany({
      where: { id: line.productId },
      data: { stock: { increment: line.quantity } },
    });
  }
}

/** Orders lines by product id, the lock order of every stock change. */
export function compareByProductId(
  a: { productId: string },
  b: { productId: string },
): number {
  if (a.productId === b.productId) return 0;
  return a.productId < b.productId ? -1 : 1;
}
