import { PrismaPg } from '@prisma/adapter-pg';

import { PrismaClient } from '../generated/prisma/client.js';

export interface PrismaClientOptions {
  /** Maximum open connections of the pg pool (pg's own default is 10). */
  poolSize?: number;
}

/**
 * Creates a Prisma client that reaches PostgreSQL through node-postgres
 * (`@prisma/adapter-pg`). Connections open lazily on the first query, and
 * `$disconnect()` closes the pool.
 */
export function createPrismaClient(
  databaseUrl: string,
  options: PrismaClientOptions = {},
): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
  });

  return new PrismaClient({ adapter });
}
