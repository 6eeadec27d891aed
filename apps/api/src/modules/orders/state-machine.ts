import type { OrderStatus } from '../../generated/prisma/client.js';

/**
 * Allowed order status changes. Cancelled and refunded orders are final.
 */
export const ORDER_TRANSITIONS: Readonly<
  Record<OrderStatus, readonly OrderStatus[]>
> = {
  pending: ['paid', 'cancelled'],
  paid: ['shipped', 'cancelled', 'refunded'],
  shipped: ['delivered'],
  delivered: ['refunded'],
  cancelled: [],
  refunded: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/**
 * Tells whether a change puts the ordered quantities back into stock: the
 * goods are still in the warehouse after a cancel, or a refund of an order
 * that was paid but never shipped. A refund after delivery does not
 * restock, because the goods are with the customer until a return arrives.
 */
export function restocksOnTransition(
  from: OrderStatus,
  to: OrderStatus,
): boolean {
  if (to === 'cancelled') return true;
  return to === 'refunded' && from === 'paid';
}

/**
 * Returns the order column update that records when the order entered
 * `status`. Pending is the initial status and has no column of its own.
 */
export function statusTimestampData(
  status: OrderStatus,
  now: Date,
): Partial<Record<StatusTimestampField, Date>> {
  if (status === 'pending') return {};
  return { [STATUS_TIMESTAMP_FIELD[status]]: now };
}

const STATUS_TIMESTAMP_FIELD = {
  paid: 'paidAt',
  shipped: 'shippedAt',
  delivered: 'deliveredAt',
  cancelled: 'cancelledAt',
  refunded: 'refundedAt',
} as const satisfies Record<Exclude<OrderStatus, 'pending'>, string>;

type StatusTimestampField =
  (typeof STATUS_TIMESTAMP_FIELD)[keyof typeof STATUS_TIMESTAMP_FIELD];
