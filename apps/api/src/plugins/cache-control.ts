import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The response belongs to one user, so no cache may keep it. */
    personal?: boolean;
  }
}

function isPersonal(request: FastifyRequest, reply: FastifyReply): boolean {
  return (
    request.headers.authorization !== undefined ||
    request.headers.cookie !== undefined ||
    reply.hasHeader('set-cookie') ||
    request.routeOptions.config?.personal === true
  );
}

async function cacheControl(app: FastifyInstance): Promise<void> {
  app.addHook('onSend', async (request, reply) => {
    // A shared cache that stored a personal response would hand one
    // user's tokens, cart or orders to the next visitor. Errors and
    // responses without an explicit policy are not stored either.
    if (
      isPersonal(request, reply) ||
      reply.statusCode >= 400 ||
      !reply.hasHeader('cache-control')
    ) {
      reply.header('Cache-Control', 'no-store');
    }
  });
}

/**
 * Sends `Cache-Control: no-store` on every response that carries or
 * follows credentials, on every error and on every response whose route
 * set no policy. Public routes opt in to caching by setting the header.
 */
export default fp(cacheControl, { name: 'cache-control', fastify: '5.x' });
