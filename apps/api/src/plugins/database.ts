import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

import { createPrismaClient } from '../db/client.js';
import type { PrismaClient } from '../generated/prisma/client.js';

export interface DatabasePluginOptions {
  databaseUrl: string;
  /** Maximum open connections of this process; defaults to 10. */
  poolSize?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    prisma: PrismaClient;
  }
}

async function databasePlugin(
  app: FastifyInstance,
  options: DatabasePluginOptions,
): Promise<void> {
  const prisma = createPrismaClient(options.databaseUrl, {
    poolSize: options.poolSize,
  });

  app.decorate('prisma', prisma);
  app.addHook('onClose', async () => {
    await prisma.$disconnect();
  });
}

/** Decorates `app.prisma` and closes its connection pool when the app closes. */
export default fp(databasePlugin, { name: 'database', fastify: '5.x' });
