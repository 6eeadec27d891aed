import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.js';
import { setPublicCacheControl } from './cache-control.js';
import { readThroughCatalogCache } from './cache.js';
import { buildCategoryTree, type CategoryRecord } from './category-tree.js';
import {
  categoryDetailResponseSchema,
  categoryProductsQuerySchema,
  categoryTreeResponseSchema,
  noQuerySchema,
  pagedProductSummarySchema,
  productListQuerySchema,
  productSchema,
  slugParamsSchema,
  type ProductListQuery,
} from './schemas.js';
import {
  findActiveProductBySlug,
  findCategorySubtree,
  listActiveProducts,
  listReachableCategories,
} from './service.js';

// Only the first pages of a listing are cached: they take most of the
// traffic, and the bound keeps the number of cache keys small.
const MAX_CACHED_PAGE = 3;

export default async function catalogRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  const loadCategories = (log: FastifyBaseLogger): Promise<CategoryRecord[]> =>
    readThroughCatalogCache(app.cache, log, 'categories', () =>
      listReachableCategories(app.prisma),
    );

  routes.get(
    '/categories',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Tree of active categories',
        querystring: noQuerySchema,
        response: { 200: categoryTreeResponseSchema },
      },
    },
    async (request, reply) => {
      const categories = await loadCategories(request.log);

      setPublicCacheControl(reply);
      return { items: buildCategoryTree(categories) };
    },
  );

  routes.get(
    '/categories/:slug',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Category with the products of it and its subcategories',
        params: slugParamsSchema,
        querystring: categoryProductsQuerySchema,
        response: { 200: categoryDetailResponseSchema },
      },
    },
    async (request, reply) => {
      const { slug } = request.params;
      const { page, limit, sort } = request.query;
      const categories = await loadCategories(request.log);
      const subtree = findCategorySubtree(categories, slug);
      if (!subtree) throw new AppError('NOT_FOUND', 'Category not found');

      const loadProducts = () =>
        listActiveProducts(
          app.prisma,
          { categoryIds: subtree.ids },
          { page, limit, sort },
        );
      const products =
        page <= MAX_CACHED_PAGE
          ? await readThroughCatalogCache(
              app.cache,
              request.log,
              `category:${slug}:${sort}:${limit}:${page}`,
              loadProducts,
            )
          : await loadProducts();

      const { category } = subtree;
      const parent = categories.find((c) => c.id === category.parentId);
      const children = categories.filter((c) => c.parentId === category.id);

      setPublicCacheControl(reply);
      return {
        category: {
          id: category.id,
          slug: category.slug,
          name: category.name,
          description: category.description,
          parent: parent ? { slug: parent.slug, name: parent.name } : null,
          children: children.map((c) => ({ slug: c.slug, name: c.name })),
        },
        products,
      };
    },
  );

  routes.get(
    '/products',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Active products, filtered, sorted and paginated',
        querystring: productListQuerySchema,
        response: { 200: pagedProductSummarySchema },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const categories = await loadCategories(request.log);

      const loadProducts = () => {
        const categoryIds =
          query.category === undefined
            ? undefined
            : (findCategorySubtree(categories, query.category)?.ids ?? []);

        return listActiveProducts(
          app.prisma,
          {
            categoryIds,
            minPriceCents: query.minPrice,
            maxPriceCents: query.maxPrice,
            inStock: query.inStock,
            featured: query.featured,
          },
          { page: query.page, limit: query.limit, sort: query.sort },
        );
      };
      const cacheKey = productListCacheKey(query);
      const products = cacheKey
        ? await readThroughCatalogCache(
            app.cache,
            request.log,
            cacheKey,
            loadProducts,
          )
        : await loadProducts();

      setPublicCacheControl(reply);
      return products;
    },
  );

  routes.get(
    '/products/:slug',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Active product by slug',
        params: slugParamsSchema,
        querystring: noQuerySchema,
        response: { 200: productSchema },
      },
    },
    async (request, reply) => {
      const { slug } = request.params;
      const product = await readThroughCatalogCache(
        app.cache,
        request.log,
        `product:${slug}`,
        () => findActiveProductBySlug(app.prisma, slug),
      );
      if (!product) throw new AppError('NOT_FOUND', 'Product not found');

      setPublicCacheControl(reply);
      return product;
    },
  );
}

/**
 * Returns the cache key for a product list, or null when it is not cached:
 * deep pages and price ranges (whose values are unbounded) go straight to
 * the database.
 */
function productListCacheKey(query: ProductListQuery): string | null {
  if (query.page > MAX_CACHED_PAGE) return null;
  if (query.minPrice !== undefined || query.maxPrice !== undefined) return null;

  const parts = [
    query.category ?? '*',
    query.inStock ?? '*',
    query.featured ?? '*',
    query.sort,
    query.limit,
    query.page,
  ];
  return `products:${parts.join(':')}`;
}
