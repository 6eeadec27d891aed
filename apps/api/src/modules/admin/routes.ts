import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.js';
import { invalidateCatalogCache } from '../catalog/cache.js';
import { orderNumberParamsSchema } from '../orders/schemas.js';
import {
  archiveAdminCategory,
  createAdminCategory,
  listAdminCategories,
  updateAdminCategory,
} from './categories.js';
import {
  changeAdminOrderStatus,
  findAdminOrder,
  listAdminOrders,
} from './orders.js';
import {
  archiveAdminProduct,
  createAdminProduct,
  findAdminProduct,
  listAdminProducts,
  updateAdminProduct,
} from './products.js';
import { buildSalesReport } from './sales.js';
import {
  adminCategoryListSchema,
  adminCategorySchema,
  adminOrderListQuerySchema,
  adminOrderSchema,
  adminProductListQuerySchema,
  adminProductSchema,
  createCategoryBodySchema,
  createProductBodySchema,
  idParamsSchema,
  orderStatusBodySchema,
  pagedAdminOrderSummarySchema,
  pagedAdminProductSchema,
  salesQuerySchema,
  salesReportSchema,
  updateCategoryBodySchema,
  updateProductBodySchema,
} from './schemas.js';
import { documentRouteErrors } from '../../plugins/openapi-errors.js';

function found<T>(value: T | null, what: string): T {
  if (value === null) throw new AppError('NOT_FOUND', `${what} not found.`);
  return value;
}

/**
 * Administration of products, categories and orders, and sales figures.
 * Every route needs a signed-in user whose role, read from the database,
 * is admin.
 */
export default async function adminRoutes(app: FastifyInstance): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const shopCurrency = app.config.checkout.currency;

  // Hooks on this plugin cover every route below, so a new admin route
  // cannot be added without the role check.
  app.addHook('onRequest', app.authenticate);
  app.addHook('onRequest', app.requireAdmin);
  app.addHook('onRoute', (route) =>
    documentRouteErrors(route, { authenticated: true, admin: true }),
  );
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  // The write has committed by now, so a failing cache must not turn the
  // response into an error: the cached entries expire on their own.
  async function refreshCatalog(request: FastifyRequest): Promise<void> {
    try {
      await invalidateCatalogCache(app.cache);
    } catch (err) {
      request.log.error({ err }, 'catalog cache invalidation failed');
    }
  }

  // ---------------------------------------------------------------- products
  const productTags = ['admin: products'];

  routes.get(
    '/admin/products',
    {
      schema: {
        tags: productTags,
        querystring: adminProductListQuerySchema,
        response: { 200: pagedAdminProductSchema },
      },
    },
    async (request) => listAdminProducts(app.prisma, request.query),
  );

  routes.post(
    '/admin/products',
    {
      schema: {
        tags: productTags,
        body: createProductBodySchema,
        response: { 201: adminProductSchema },
      },
    },
    async (request, reply) => {
      const product = await createAdminProduct(
        app.prisma,
        request.body,
        shopCurrency,
      );
      await refreshCatalog(request);
      return reply.code(201).send(product);
    },
  );

  routes.get(
    '/admin/products/:id',
    {
      schema: {
        tags: productTags,
        params: idParamsSchema,
        response: { 200: adminProductSchema },
      },
    },
    async (request) =>
      found(await findAdminProduct(app.prisma, request.params.id), 'Product'),
  );

  routes.patch(
    '/admin/products/:id',
    {
      schema: {
        tags: productTags,
        params: idParamsSchema,
        body: updateProductBodySchema,
        response: { 200: adminProductSchema },
      },
    },
    async (request) => {
      const product = found(
        await updateAdminProduct(
          app.prisma,
          request.params.id,
          request.body,
          shopCurrency,
        ),
        'Product',
      );
      await refreshCatalog(request);
      return product;
    },
  );

  routes.post(
    '/admin/products/:id/archive',
    {
      schema: {
        tags: productTags,
        params: idParamsSchema,
        response: { 200: adminProductSchema },
      },
    },
    async (request) => {
      const product = found(
        await archiveAdminProduct(app.prisma, request.params.id),
        'Product',
      );
      await refreshCatalog(request);
      return product;
    },
  );

  // -------------------------------------------------------------- categories
  const categoryTags = ['admin: categories'];

  routes.get(
    '/admin/categories',
    {
      schema: {
        tags: categoryTags,
        response: { 200: adminCategoryListSchema },
      },
    },
    async () => ({ items: await listAdminCategories(app.prisma) }),
  );

  routes.post(
    '/admin/categories',
    {
      schema: {
        tags: categoryTags,
        body: createCategoryBodySchema,
        response: { 201: adminCategorySchema },
      },
    },
    async (request, reply) => {
      const category = await createAdminCategory(app.prisma, request.body);
      await refreshCatalog(request);
      return reply.code(201).send(category);
    },
  );

  routes.patch(
    '/admin/categories/:id',
    {
      schema: {
        tags: categoryTags,
        params: idParamsSchema,
        body: updateCategoryBodySchema,
        response: { 200: adminCategorySchema },
      },
    },
    async (request) => {
      const category = found(
        await updateAdminCategory(app.prisma, request.params.id, request.body),
        'Category',
      );
      await refreshCatalog(request);
      return category;
    },
  );

  routes.post(
    '/admin/categories/:id/archive',
    {
      schema: {
        tags: categoryTags,
        params: idParamsSchema,
        response: { 200: adminCategorySchema },
      },
    },
    async (request) => {
      const category = found(
        await archiveAdminCategory(app.prisma, request.params.id),
        'Category',
      );
      await refreshCatalog(request);
      return category;
    },
  );

  // ------------------------------------------------------------------ orders
  const orderTags = ['admin: orders'];

  routes.get(
    '/admin/orders',
    {
      schema: {
        tags: orderTags,
        querystring: adminOrderListQuerySchema,
        response: { 200: pagedAdminOrderSummarySchema },
      },
    },
    async (request) => listAdminOrders(app.prisma, request.query),
  );

  routes.get(
    '/admin/orders/:orderNumber',
    {
      schema: {
        tags: orderTags,
        params: orderNumberParamsSchema,
        response: { 200: adminOrderSchema },
      },
    },
    async (request) =>
      found(
        await findAdminOrder(app.prisma, request.params.orderNumber),
        'Order',
      ),
  );

  routes.post(
    '/admin/orders/:orderNumber/status',
    {
      schema: {
        tags: orderTags,
        description:
          'Allowed changes: pending to paid or cancelled; paid to shipped, ' +
          'cancelled or refunded; shipped to delivered; delivered to refunded. ' +
          'Cancelling, and refunding a paid order, restock the items.',
        params: orderNumberParamsSchema,
        body: orderStatusBodySchema,
        response: { 200: adminOrderSchema },
      },
    },
    async (request) => {
      const order = await changeAdminOrderStatus(
        app.prisma,
        request.params.orderNumber,
        request.body.status,
      );
      // Restocking changes stock figures that catalog pages show.
      await refreshCatalog(request);
      return found(order, 'Order');
    },
  );

  // ------------------------------------------------------------------- sales
  routes.get(
    '/admin/sales',
    {
      schema: {
        tags: ['admin: sales'],
        querystring: salesQuerySchema,
        response: { 200: salesReportSchema },
      },
    },
    async (request) => buildSalesReport(app.prisma, request.query.days),
  );
}
