import type { Redis } from 'ioredis';

import type { PrismaClient } from '../../generated/prisma/client.js';

/** Maximum time a readiness probe waits for one dependency, in ms. */
export const DEPENDENCY_CHECK_TIMEOUT_MS = 1500;

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `SELECT 1`; returns 'ok' or 'unreachable'. */
export async function checkDatabase(
  prisma: PrismaClient,
): Promise<'ok' | 'unreachable'> {
  try {
    await withTimeout(prisma.$queryRaw`SELECT 1`, DEPENDENCY_CHECK_TIMEOUT_MS);
    return 'ok';
  } catch {
    return 'unreachable';
  }
}

/** Sends PING; returns 'memory' when the app runs without Redis. */
export async function checkRedis(
  redis: Redis | null,
): Promise<'ok' | 'memory' | 'unreachable'> {
  if (!redis) return 'memory';

  try {
    const reply = await withTimeout(redis.ping(), DEPENDENCY_CHECK_TIMEOUT_MS);
    return reply === 'PONG' ? 'ok' : 'unreachable';
  } catch {
    return 'unreachable';
  }
}
