import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.js';
import {
  addCartItemBodySchema,
  cartItemParamsSchema,
  cartSchema,
  updateCartItemBodySchema,
} from './schemas.js';
import {
  addCartItem,
  clearCart,
  getCart,
  removeCartItem,
  setCartItemQuantity,
} from './service.js';

/** Cart of the signed-in user: one cart per account, priced on the server. */
export default async function cartRoutes(app: FastifyInstance): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const rules = app.config.checkout;

  // A cart is personal, so no browser or proxy may store any response
  // here, error responses included.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  const common = {
    onRequest: [app.authenticate],
  };
  const tags = ['cart'];

  routes.get(
    '/cart',
    {
      ...common,
      schema: { tags, response: { 200: cartSchema } },
    },
    async (request) => getCart(app.prisma, request.user.id, rules),
  );

  routes.post(
    '/cart/items',
    {
      ...common,
      schema: {
        tags,
        body: addCartItemBodySchema,
        response: { 200: cartSchema },
      },
    },
    async (request) => {
      const { productId, quantity } = request.body;
      await addCartItem(app.prisma, request.user.id, productId, quantity);
      return getCart(app.prisma, request.user.id, rules);
    },
  );

  routes.patch(
    '/cart/items/:productId',
    {
      ...common,
      schema: {
        tags,
        params: cartItemParamsSchema,
        body: updateCartItemBodySchema,
        response: { 200: cartSchema },
      },
    },
    async (request) => {
      await setCartItemQuantity(
        app.prisma,
        request.user.id,
        request.params.productId,
        request.body.quantity,
      );
      return getCart(app.prisma, request.user.id, rules);
    },
  );

  routes.delete(
    '/cart/items/:productId',
    {
      ...common,
      schema: {
        tags,
        params: cartItemParamsSchema,
        response: { 200: cartSchema },
      },
    },
    async (request) => {
      const removed = await removeCartItem(
        app.prisma,
        request.user.id,
        request.params.productId,
      );
      if (!removed) {
        throw new AppError('NOT_FOUND', 'Cart item not found.');
      }
      return getCart(app.prisma, request.user.id, rules);
    },
  );

  routes.delete(
    '/cart',
    {
      ...common,
      schema: { tags, response: { 200: cartSchema } },
    },
    async (request) => {
      await clearCart(app.prisma, request.user.id);
      return getCart(app.prisma, request.user.id, rules);
    },
  );
}
