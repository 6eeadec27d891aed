import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.js';
import { checkout } from './checkout.js';
import { createMockPaymentProvider } from './payment/mock-provider.js';
import type { PaymentProvider } from './payment/provider.js';
import {
  checkoutBodySchema,
  checkoutHeadersSchema,
  orderListQuerySchema,
  orderNumberParamsSchema,
  orderSchema,
  pagedOrderSummarySchema,
} from './schemas.js';
import { changeOrderStatus, findOrder, listOrders } from './service.js';

export interface OrdersRoutesOptions {
  /** Provider that charges each order. Defaults to the mock provider. */
  paymentProvider?: PaymentProvider;
}

/** Checkout and the signed-in user's own orders. */
export default async function ordersRoutes(
  app: FastifyInstance,
  options: OrdersRoutesOptions,
): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const payment = options.paymentProvider ?? createMockPaymentProvider();
  const tags = ['orders'];

  // Orders are personal, so no browser or proxy may store any response here.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  routes.post(
    '/orders',
    {
      onRequest: [app.authenticate],
      schema: {
        tags,
        description:
          'Places an order from the cart. Repeating a request with the same ' +
          'Idempotency-Key returns the first order with status 200.',
        headers: checkoutHeadersSchema,
        body: checkoutBodySchema,
        response: { 200: orderSchema, 201: orderSchema },
      },
    },
    async (request, reply) => {
      const result = await checkout(app.prisma, payment, app.config.checkout, {
        userId: request.user.id,
        idempotencyKey: request.headers['idempotency-key'],
        body: request.body,
      });
      return reply.code(result.replayed ? 200 : 201).send(result.order);
    },
  );

  routes.get(
    '/orders',
    {
      onRequest: [app.authenticate],
      schema: {
        tags,
        querystring: orderListQuerySchema,
        response: { 200: pagedOrderSummarySchema },
      },
    },
    async (request) =>
      listOrders(
        app.prisma,
        request.user.id,
        request.query.page,
        request.query.limit,
      ),
  );

  routes.get(
    '/orders/:orderNumber',
    {
      onRequest: [app.authenticate],
      schema: {
        tags,
        params: orderNumberParamsSchema,
        response: { 200: orderSchema },
      },
    },
    async (request) => {
      const order = await findOrder(app.prisma, {
        number: request.params.orderNumber,
        userId: request.user.id,
      });
      if (order === null) throw new AppError('NOT_FOUND', 'Order not found.');
      return order;
    },
  );

  routes.post(
    '/orders/:orderNumber/cancel',
    {
      onRequest: [app.authenticate],
      schema: {
        tags,
        description:
          'Cancels an own order while it is pending or paid and restocks it.',
        params: orderNumberParamsSchema,
        response: { 200: orderSchema },
      },
    },
    async (request) => {
      const order = await changeOrderStatus(
        app.prisma,
        { number: request.params.orderNumber, userId: request.user.id },
        'cancelled',
      );
      if (order === null) throw new AppError('NOT_FOUND', 'Order not found.');
      return order;
    },
  );
}
