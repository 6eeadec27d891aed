import { createHash } from 'node:crypto';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import { AppError } from '../../errors.js';
import { computeTotals, type CheckoutRules } from '../cart/totals.js';
import type { PaymentProvider } from './payment/provider.js';
import type { CheckoutBody, OrderView } from './schemas.js';
import { compareByProductId, findOrder } from './service.js';

// Order totals are stored in 32-bit integer columns.
const MAX_ORDER_TOTAL_CENTS = 2_147_483_647;

// Key of the transaction-scoped advisory lock that serializes order number
// allocation. Any fixed 64-bit value works, as long as no other advisory
// lock of the database uses it.
const ORDER_NUMBER_LOCK_KEY = 7_346_021_913n;

// Six digits give 999,999 orders per year. Wider numbers would break the
// "highest number so far" lookup, which compares them as text.
const ORDER_COUNTER_DIGITS = 6;
const MAX_ORDERS_PER_YEAR = 10 ** ORDER_COUNTER_DIGITS - 1;

export interface CheckoutInput {
  userId: string;
  idempotencyKey: string;
  body: CheckoutBody;
}

export interface CheckoutResult {
  order: OrderView;
  /** True when the key was used before and the earlier order is returned. */
  replayed: boolean;
}

/**
 * Places an order from the user's cart, exactly once per idempotency key.
 *
 * One transaction records the key, takes the stock, snapshots the items,
 * creates the order, charges the payment provider and empties the cart. A
 * failure anywhere (out of stock, declined payment) rolls all of it back.
 * A request that repeats a key gets the first order back; the same key with
 * another body is rejected with IDEMPOTENCY_KEY_REUSED.
 */
export async function checkout(
  prisma: PrismaClient,
  payment: PaymentProvider,
  rules: CheckoutRules,
  input: CheckoutInput,
): Promise<CheckoutResult> {
  const requestHash = hashCheckoutBody(input.body);

  const earlier = await findEarlierCheckout(prisma, input, requestHash);
  if (earlier !== null) return { order: earlier, replayed: true };

  try {
    const orderId = await prisma.$transaction(
      (tx) => placeOrder(tx, payment, rules, input, requestHash),
      // Concurrent checkouts of one product wait for each other's row lock.
      { maxWait: 10_000, timeout: 20_000 },
    );
    const order = await findOrder(prisma, { id: orderId });
    if (order === null)
      throw new Error(`Order ${orderId} not found after commit`);
    return { order, replayed: false };
  } catch (error) {
    // The key row is the first insert of the transaction. A parallel
    // request with the same key waits on its unique index until the first
    // request commits. It then fails here and returns the committed order.
    if (!isUniqueViolation(error)) throw error;

    const winner = await findEarlierCheckout(prisma, input, requestHash);
    if (winner === null) throw error;
    return { order: winner, replayed: true };
  }
}

/** SHA-256 of the body with sorted keys, so key order does not matter. */
export function hashCheckoutBody(body: CheckoutBody): string {
  return createHash('sha256').update(stableStringify(body)).digest('hex');
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(stableStringify).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(
        ([key, entry]) => `${JSON.stringify(key)}:${stableStringify(entry)}`,
      );
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

async function findEarlierCheckout(
  prisma: PrismaClient,
  input: CheckoutInput,
  requestHash: string,
): Promise<OrderView | null> {
  const record = await prisma.idempotencyKey.findUnique({
    where: { userId_key: { userId: input.userId, key: input.idempotencyKey } },
  });
  if (record === null) return null;

  if (record.requestHash !== requestHash) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED');
  }
  // Checkout writes the key and its order in one transaction, so a stored
  // key without an order means the data was changed by hand.
  const order =
    record.orderId === null
      ? null
      : await findOrder(prisma, { id: record.orderId });
  if (order === null) {
    throw new AppError(
      'CONFLICT',
      'The order of this Idempotency-Key no longer exists.',
    );
  }
  return order;
}

async function placeOrder(
  tx: Prisma.TransactionClient,
  payment: PaymentProvider,
  rules: CheckoutRules,
  input: CheckoutInput,
  requestHash: string,
): Promise<string> {
  const { userId, idempotencyKey, body } = input;

  const keyRecord = await tx.idempotencyKey.create({
    data: { userId, key: idempotencyKey, requestHash },
    select: { id: true },
  });

  const lines = await takeStock(tx, userId, rules);
  const subtotalCents = lines.reduce(
    (sum, line) => sum + line.unitPriceCents * line.quantity,
    0,
  );
  const totals = computeTotals(subtotalCents, rules);
  if (totals.totalCents > MAX_ORDER_TOTAL_CENTS) {
    throw new AppError(
      'BUSINESS_RULE',
      'The order total is too large for one order: split it into several orders.',
    );
  }

  const number = await allocateOrderNumber(tx, new Date());
  const order = await tx.order.create({
    data: {
      number,
      userId,
      status: 'pending',
      ...totals,
      currency: rules.currency,
      shippingAddress: body.shippingAddress,
      items: {
        create: lines.map((line) => ({
          productId: line.productId,
          sku: line.sku,
          name: line.name,
          unitPriceCents: line.unitPriceCents,
          quantity: line.quantity,
        })),
      },
    },
    select: { id: true },
  });

  // NOTE: the charge runs inside the open transaction, so a slow provider
  // holds the stock row locks for as long as it takes. A provider with
  // network calls should charge after commit and confirm by webhook.
  const result = await payment.charge({
    orderNumber: number,
    amountCents: totals.totalCents,
    currency: rules.currency,
    method: body.payment.method,
    cardToken: body.payment.cardToken,
  });
  if (result.status === 'failed') {
    throw new AppError('PAYMENT_FAILED', result.reason);
  }

  await tx.order.update({
    where: { id: order.id },
    data: { status: 'paid', paidAt: new Date(), paymentRef: result.reference },
  });
  await tx.idempotencyKey.update({
    where: { id: keyRecord.id },
    data: { orderId: order.id },
  });
  await tx.cartItem.deleteMany({ where: { cart: { userId } } });

  return order.id;
}

interface OrderLine {
  productId: string;
  sku: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
}

/**
 * Decrements the stock of every purchasable cart line and returns the lines
 * priced from the updated product rows. Raises CART_EMPTY or OUT_OF_STOCK.
 */
async function takeStock(
  tx: Prisma.TransactionClient,
  userId: string,
  rules: CheckoutRules,
): Promise<OrderLine[]> {
  // Locking the cart row makes checkouts of one user take turns: a second
  // checkout with another key then finds the cart already emptied instead
  // of ordering the same lines twice.
  const { count: cartCount } = await tx.cart.updateMany({
    where: { userId },
    data: { updatedAt: new Date() },
  });
  if (cartCount === 0) {
    throw new AppError('CART_EMPTY');
  }

  // Lines of products that are no longer active are not shown in the cart
  // and are not sold. Emptying the cart removes them too.
  const cartLines = await tx.cartItem.findMany({
    where: { cart: { userId }, product: { status: 'active' } },
    select: { productId: true, quantity: true },
  });
  if (cartLines.length === 0) {
    throw new AppError('CART_EMPTY');
  }

  // Two checkouts that share products update them in the same order (by
  // product id), so their stock updates cannot wait on each other in a
  // cycle.
  cartLines.sort(compareByProductId);

  const lines: OrderLine[] = [];
  for (const { productId, quantity } of cartLines) {
    // The stock condition is evaluated again after waiting for a concurrent
    // checkout's row lock, so stock never goes below zero.
    const [product] = await tx.product.updateManyAndReturn({
      where: { id: productId, status: 'active', stock: { gte: quantity } },
      data: { stock: { decrement: quantity } },
      select: { sku: true, name: true, priceCents: true, currency: true },
    });
    if (product === undefined) {
      throw await outOfStockError(tx, productId);
    }
    if (product.currency !== rules.currency) {
      throw new AppError(
        'BUSINESS_RULE',
        `${product.name} is priced in ${product.currency}, but the shop sells in ${rules.currency}.`,
      );
    }

    lines.push({
      productId,
      sku: product.sku,
      name: product.name,
      unitPriceCents: product.priceCents,
      quantity,
    });
  }
  return lines;
}

async function outOfStockError(
  tx: Prisma.TransactionClient,
  productId: string,
): Promise<AppError> {
  const product = await tx.product.findUnique({
    where: { id: productId },
    select: { name: true, stock: true, status: true },
  });
  if (product === null || product.status !== 'active') {
    return new AppError(
      'OUT_OF_STOCK',
      'A product in the cart is no longer sold.',
    );
  }
  return new AppError(
    'OUT_OF_STOCK',
    `Only ${product.stock} of ${product.name} are in stock: lower the quantity in the cart.`,
  );
}

/**
 * Returns the next order number of the year, such as SO-2026-000123. An
 * advisory lock held until commit makes concurrent checkouts take turns, so
 * two orders never read the same highest number.
 */
async function allocateOrderNumber(
  tx: Prisma.TransactionClient,
  now: Date,
): Promise<string> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ORDER_NUMBER_LOCK_KEY}::bigint)`;

  const prefix = `SO-${now.getUTCFullYear()}-`;
  const latest = await tx.order.findFirst({
    where: { number: { startsWith: prefix } },
    orderBy: { number: 'desc' },
    select: { number: true },
  });
  const counter =
    latest === null ? 1 : Number(latest.number.slice(prefix.length)) + 1;
  if (counter > MAX_ORDERS_PER_YEAR) {
    throw new Error(
      `Cannot allocate an order number: ${prefix}* reached ${MAX_ORDERS_PER_YEAR}`,
    );
  }

  return prefix + String(counter).padStart(ORDER_COUNTER_DIGITS, '0');
}

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof Prisma.PrismaClientKnownRequestError &&
    error.code === 'P2002'
  );
}
