import type { FastifyReply } from 'fastify';

/**
 * Cache-Control for public catalog and search responses. They are the same
 * for every visitor, so shared caches may keep them for a minute.
 */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=60';

/**
 * Marks a successful response as publicly cacheable. The cache-control
 * plugin replaces the header with `no-store` when the response turns into
 * an error or the request carries credentials.
 */
export function setPublicCacheControl(reply: FastifyReply): void {
  reply.header('cache-control', PUBLIC_CACHE_CONTROL);
}
