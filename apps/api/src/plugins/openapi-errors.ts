// Adds the security requirement and the error responses to the OpenAPI
// description of every route, derived from the route's options, so no
// route file has to list them by hand.
import type { FastifyInstance, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';

import { errorCatalogue } from '../errors.js';

/** The body of every error response, as the error handler sends it. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(errorCatalogue) as [string, ...string[]]),
      message: z.string(),
      requestId: z.string(),
      details: z
        .array(z.object({ path: z.string(), message: z.string() }))
        .optional(),
    }),
  })
  .meta({ id: 'Error' });

export interface RouteAccess {
  authenticated: boolean;
  admin: boolean;
}

const bodyMethods = new Set(['POST', 'PUT', 'PATCH']);

function hasBody(route: RouteOptions): boolean {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  return methods.some((method) => bodyMethods.has(method));
}

/**
 * Adds `security` and the 4xx responses that a route can return to its
 * schema, keeping any that the route declares itself. Every route can
 * return 400 (the query parser rejects repeated and bracketed keys) and
 * 429. `extraStatuses` lists the rule-specific ones, such as 409 and 422.
 *
 * NOTE: no route passes `extraStatuses` yet, so the 409 and 422 responses of
 * checkout, cart and admin writes and the 403 of change-password are still
 * missing from the document.
 */
export function documentRouteErrors(
  route: RouteOptions,
  access: RouteAccess,
  extraStatuses: number[] = [],
): void {
  const schema = (route.schema ??= {}) as NonNullable<
    RouteOptions['schema']
  > & {
    hide?: boolean;
    security?: Record<string, string[]>[];
    params?: unknown;
    response?: Record<string, unknown>;
  };
  if (schema.hide) return;

  const statuses = [400, 429, ...extraStatuses];
  if (access.authenticated || access.admin) {
    schema.security ??= [{ bearerAuth: [] }];
    statuses.push(401);
  }
  if (access.admin) statuses.push(403);
  if (schema.params !== undefined) statuses.push(404);
  if (hasBody(route)) statuses.push(413, 415);

  const response = (schema.response ??= {});
  for (const status of statuses) {
    response[status] ??= errorBodySchema;
  }
}

function toList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

async function openapiErrorsPlugin(app: FastifyInstance): Promise<void> {
  app.addHook('onRoute', (route) => {
    const hooks: unknown[] = [
      ...toList(route.onRequest),
      ...toList(route.preHandler),
    ];
    documentRouteErrors(route, {
      authenticated: hooks.includes(app.authenticate),
      admin: hooks.includes(app.requireAdmin),
    });
  });
}

/**
 * Documents every route registered after it. Routes that authenticate in a
 * plugin-level hook, which a route's options do not show, call
 * documentRouteErrors from an onRoute hook of their own.
 */
export default fp(openapiErrorsPlugin, {
  name: 'openapi-errors',
  dependencies: ['authentication'],
});
