import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import { AppError } from '../../errors.js';
import { toImageUrl } from '../catalog/product-view.js';
import { MAX_CART_LINES, MAX_LINE_QUANTITY, type CartView } from './schemas.js';
import { computeTotals, type CheckoutRules } from './totals.js';

/** A Prisma client or the client of an open transaction. */
export type Db = PrismaClient | Prisma.TransactionClient;

const cartLineSelect = {
  quantity: true,
  product: {
    select: {
      id: true,
      slug: true,
      sku: true,
      name: true,
      priceCents: true,
      stock: true,
      images: true,
    },
  },
} satisfies Prisma.CartItemSelect;

/**
 * Loads the user's cart with current database prices. Lines whose product
 * is no longer active are left out of the lines and the totals, because
 * checkout cannot sell them either.
 */
export async function getCart(
  db: Db,
  userId: string,
  rules: CheckoutRules,
): Promise<CartView> {
  const rows = await db.cartItem.findMany({
    where: { cart: { userId }, product: { status: 'active' } },
    select: cartLineSelect,
    orderBy: [{ createdAt: 'asc' }, { productId: 'asc' }],
  });

  const items = rows.map(({ quantity, product }) => ({
    productId: product.id,
    slug: product.slug,
    name: product.name,
    sku: product.sku,
    imageUrl:
      product.images[0] === undefined ? null : toImageUrl(product.images[0]),
    unitPriceCents: product.priceCents,
    quantity,
    lineTotalCents: product.priceCents * quantity,
    stock: product.stock,
  }));
  const subtotalCents = items.reduce(
    (sum, line) => sum + line.lineTotalCents,
    0,
  );

  return {
    items,
    ...computeTotals(subtotalCents, rules),
    currency: rules.currency,
    itemCount: items.reduce((sum, line) => sum + line.quantity, 0),
  };
}

async function findActiveProduct(db: Db, productId: string) {
  const product = await db.product.findUnique({
    where: { id: productId },
    select: { id: true, stock: true, status: true },
  });
  if (product === null || product.status !== 'active') {
    throw new AppError('NOT_FOUND', 'Product not found.');
  }
  return product;
}

function checkLineQuantity(quantity: number, stock: number): void {
  if (quantity > MAX_LINE_QUANTITY) {
    throw new AppError('VALIDATION_FAILED', undefined, {
      details: [
        {
          path: 'body.quantity',
          message: `The line would hold ${quantity}, above the maximum of ${MAX_LINE_QUANTITY} per product.`,
        },
      ],
    });
  }
  if (quantity > stock) {
    throw new AppError(
      'OUT_OF_STOCK',
      `Only ${stock} of this product are in stock.`,
    );
  }
}

/**
 * Adds `quantity` of a product to the user's cart, on top of any quantity
 * already there, and creates the cart on first use.
 */
export async function addCartItem(
  prisma: PrismaClient,
  userId: string,
  productId: string,
  quantity: number,
): Promise<void> {
  await prisma.$transaction(
    (tx) => addToLockedCart(tx, userId, productId, quantity),
    // Concurrent adds to one cart wait for each other's cart row lock.
    { maxWait: 10_000, timeout: 20_000 },
  );
}

async function addToLockedCart(
  tx: Prisma.TransactionClient,
  userId: string,
  productId: string,
  quantity: number,
): Promise<void> {
  const product = await findActiveProduct(tx, productId);
  // Writing the cart row locks it until the transaction ends, so concurrent
  // adds for one user run one after another. Each then reads the quantity
  // and line count that the previous one committed, and no update is lost
  // nor the line cap passed.
  const cart = await tx.cart.upsert({
    where: { userId },
    create: { userId },
    update: { updatedAt: new Date() },
    select: { id: true },
  });
  const existing = await tx.cartItem.findUnique({
    where: { cartId_productId: { cartId: cart.id, productId } },
    select: { quantity: true },
  });

  if (existing === null) {
    const lineCount = await tx.cartItem.count({ where: { cartId: cart.id } });
    if (lineCount >= MAX_CART_LINES) {
      throw new AppError(
        'BUSINESS_RULE',
        `A cart holds at most ${MAX_CART_LINES} different products.`,
      );
    }
  }

  const newQuantity = (existing?.quantity ?? 0) + quantity;
  checkLineQuantity(newQuantity, product.stock);

  await tx.cartItem.upsert({
    where: { cartId_productId: { cartId: cart.id, productId } },
    create: { cartId: cart.id, productId, quantity: newQuantity },
    update: { quantity: newQuantity },
  });
}

/** Sets the quantity of a product already in the user's cart. */
export async function setCartItemQuantity(
  db: Db,
  userId: string,
  productId: string,
  quantity: number,
): Promise<void> {
  const line = await db.cartItem.findFirst({
    where: { cart: { userId }, productId },
    select: { id: true },
  });
  if (line === null) {
    throw new AppError('NOT_FOUND', 'Cart item not found.');
  }

  const product = await findActiveProduct(db, productId);
  checkLineQuantity(quantity, product.stock);

  await db.cartItem.update({ where: { id: line.id }, data: { quantity } });
}

/** Removes one product from the user's cart. Returns false when it was not there. */
export async function removeCartItem(
  db: Db,
  userId: string,
  productId: string,
): Promise<boolean> {
  const { count } = await db.cartItem.deleteMany({
    where: { cart: { userId }, productId },
  });
  return count > 0;
}

export async function clearCart(db: Db, userId: string): Promise<void> {
  await db.cartItem.deleteMany({ where: { cart: { userId } } });
}
