import { randomUUID } from 'node:crypto';

import type { FastifyInstance, InjectOptions } from 'fastify';

import type { PrismaClient } from '../../../src/generated/prisma/client.js';
import { bypassHeaders } from '../../helpers/app.js';

export interface Shopper {
  id: string;
  email: string;
  headers: Record<string, string>;
}

/**
 * Inserts an account and signs an access token for it with the app's own
 * signer. Faster than createUser (no bcrypt round), for tests that need
 * many accounts; the auth flow itself is covered by the auth tests.
 */
export async function createShopper(
  app: FastifyInstance,
  role: 'customer' | 'admin' = 'customer',
): Promise<Shopper> {
  const email = `shopper-${randomUUID()}@example.test`;
  const user = await app.prisma.user.create({
    data: {
      email,
      name: 'Test Shopper',
      passwordHash: 'not-a-bcrypt-hash',
      role,
    },
  });
  const token = await app.accessTokens.sign({ id: user.id, role });

  return {
    id: user.id,
    email,
    headers: { ...bypassHeaders(app), authorization: `Bearer ${token}` },
  };
}

/** Sends a request with the shopper's token and the rate-limit bypass. */
export function send(
  app: FastifyInstance,
  shopper: Shopper | null,
  options: InjectOptions,
) {
  const headers = shopper === null ? bypassHeaders(app) : shopper.headers;
  return app.inject({
    ...options,
    headers: { ...headers, ...options.headers },
  });
}

export const validAddress = {
  fullName: 'Ada Lovelace',
  line1: '12 Analytical Street',
  city: 'London',
  postalCode: 'N1 9GU',
  country: 'GB',
};

export const validCheckoutBody = {
  shippingAddress: validAddress,
  payment: { method: 'mock_card', cardToken: 'tok_visa' },
};

export function newIdempotencyKey(): string {
  return `key-${randomUUID()}`;
}

export async function putInCart(
  prisma: PrismaClient,
  userId: string,
  productId: string,
  quantity: number,
): Promise<void> {
  const cart = await prisma.cart.upsert({
    where: { userId },
    create: { userId },
    update: {},
  });
  await prisma.cartItem.create({
    data: { cartId: cart.id, productId, quantity },
  });
}

/** Places an order for `productId` through the API and returns it. */
export async function placeOrder(
  app: FastifyInstance,
  shopper: Shopper,
  productId: string,
  quantity = 1,
): Promise<{ number: string; id: string; totalCents: number }> {
  await putInCart(app.prisma, shopper.id, productId, quantity);
  const response = await send(app, shopper, {
    method: 'POST',
    url: '/api/orders',
    headers: { 'idempotency-key': newIdempotencyKey() },
    payload: validCheckoutBody,
  });
  if (response.statusCode !== 201) {
    throw new Error(
      `placeOrder: checkout returned ${response.statusCode}: ${response.body}`,
    );
  }
  return response.json();
}
