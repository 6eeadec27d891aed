import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { setPublicCacheControl } from '../catalog/cache-control.js';
import { pagedProductSummarySchema } from '../catalog/schemas.js';
import {
  searchQuerySchema,
  suggestQuerySchema,
  suggestResponseSchema,
} from './schemas.js';
import { searchActiveProducts, suggestActiveProducts } from './service.js';

export default async function searchRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Active products ranked by relevance, typo tolerant',
        querystring: searchQuerySchema,
        response: { 200: pagedProductSummarySchema },
      },
    },
    async (request, reply) => {
      const { q, page, limit } = request.query;
      const result = await searchActiveProducts(app.prisma, q, { page, limit });

      setPublicCacheControl(reply);
      return result;
    },
  );

  routes.get(
    '/search/suggest',
    {
      schema: {
        tags: ['search'],
        summary: 'Product names for autocomplete, prefix and fuzzy matches',
        querystring: suggestQuerySchema,
        response: { 200: suggestResponseSchema },
      },
    },
    async (request, reply) => {
      const items = await suggestActiveProducts(app.prisma, request.query.q);

      setPublicCacheControl(reply);
      return { items };
    },
  );
}
