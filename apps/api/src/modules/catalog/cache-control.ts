import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Cache-Control for public catalog and search responses. They are the same
 * for every visitor, so shared caches may keep them for a minute.
 */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=60';

/**
 * Route `onSend` hook that marks successful responses as publicly
 * cacheable. It runs after the status is final, so a 4xx or 5xx from the
 * same route (even one raised during serialization) never gets the header.
 */
export async function setPublicCacheControlOnSuccess(
  _request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  if (reply.statusCode === 200) {
    reply.header('cache-control', PUBLIC_CACHE_CONTROL);
  }
}
