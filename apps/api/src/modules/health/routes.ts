import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { AppError } from '../../errors.js';
import { checkDatabase, checkRedis } from './service.js';

const healthResponse = z.object({ status: z.literal('ok') });

const readyResponse = z.object({
  status: z.literal('ready'),
  checks: z.object({
    database: z.literal('ok'),
    redis: z.enum(['ok', 'memory']),
  }),
});

/** Liveness and readiness probes, outside /api so probes skip rate limits. */
export default async function healthRoutes(
  app: FastifyInstance,
): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/health',
    {
      schema: {
        summary: 'Liveness: the process is running',
        tags: ['health'],
        response: { 200: healthResponse },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  routes.get(
    '/ready',
    {
      schema: {
        summary: 'Readiness: the database and Redis are reachable',
        tags: ['health'],
        response: { 200: readyResponse },
      },
    },
    async (request, reply) => {
      reply.header('Cache-Control', 'no-store');

      if (app.readiness.shuttingDown) {
        throw new AppError(
          'SERVICE_UNAVAILABLE',
          'Not ready: the server is shutting down.',
        );
      }

      const [database, redis] = await Promise.all([
        checkDatabase(app.prisma),
        checkRedis(app.redis),
      ]);
      if (database !== 'ok' || redis === 'unreachable') {
        const failing = [
          ...(database === 'ok' ? [] : ['database']),
          ...(redis === 'unreachable' ? ['redis'] : []),
        ];
        request.log.warn({ failing }, 'Readiness check failed');
        throw new AppError(
          'SERVICE_UNAVAILABLE',
          `Not ready: ${failing.join(' and ')} unreachable.`,
          {
            details: failing.map((name) => ({
              path: name,
              message: `${name} is unreachable`,
            })),
          },
        );
      }
      return { status: 'ready' as const, checks: { database, redis } };
    },
  );
}
