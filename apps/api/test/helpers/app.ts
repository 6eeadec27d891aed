import { randomBytes, randomUUID } from 'node:crypto';

import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { Redis } from 'ioredis';

import { buildApp, type BuildAppOptions } from '../../src/app.js';
import { type AppConfig, loadConfig } from '../../src/config.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { createTestDatabase } from './database.js';

export interface TestApp {
  app: FastifyInstance;
  prisma: PrismaClient;
  /** Closes the app, deletes its Redis keys and drops its database. */
  close(): Promise<void>;
}

export interface BuildTestAppOptions {
  /** Plugins registered after every module, such as a route that throws. */
  plugins?: FastifyPluginAsync[];
  /** A pino logger, for tests that read the log lines. */
  logger?: BuildAppOptions['logger'];
}

/** Header that lets test requests pass the rate limits, see createUser. */
export const BYPASS_HEADER = 'x-load-test-bypass';

async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => {
    // Reported by connect() below.
  });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${prefix}*`,
        'COUNT',
        500,
      );
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // Redis may be the unreachable one a test configured on purpose.
  } finally {
    redis.disconnect();
  }
}

/**
 * Builds the app against a fresh migrated database (see createTestDatabase)
 * and, when REDIS_URL is set, Redis with a key prefix unique to this app.
 * `overrides` replace config fields; `jwt` and `checkout` are merged.
 */
export async function buildTestApp(
  overrides: Partial<AppConfig> = {},
  options: BuildTestAppOptions = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const base = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    REDIS_URL: process.env.REDIS_URL,
  });
  const config: AppConfig = {
    ...base,
    databaseUrl: database.url,
    redisKeyPrefix: `test:${randomUUID()}:`,
    rateLimitBypassToken: randomBytes(32).toString('base64url'),
    // Cost 4 takes about 1 ms per hash, cost 12 about 220 ms (measured on
    // the 2-core CI machine). Tests of hashing itself pass `bcryptCost: 12`.
    bcryptCost: 4,
    ...overrides,
    jwt: { ...base.jwt, ...overrides.jwt },
    checkout: { ...base.checkout, ...overrides.checkout },
  };

  let app: FastifyInstance;
  try {
    app = await buildApp({
      config,
      plugins: options.plugins,
      logger: options.logger,
    });
    await app.ready();
  } catch (err) {
    await database.drop();
    throw err;
  }

  return {
    app,
    prisma: app.prisma,
    async close() {
      await app.close();
      if (config.redisUrl)
        await deleteRedisKeys(config.redisUrl, config.redisKeyPrefix);
      await database.drop();
    },
  };
}

/** Headers that skip the rate limits when the app has a bypass token. */
export function bypassHeaders(app: FastifyInstance): Record<string, string> {
  const token = app.config.rateLimitBypassToken;
  return token ? { [BYPASS_HEADER]: token } : {};
}

export interface CreatedUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/**
 * Registers and signs in a user through the HTTP API. An admin is
 * registered as a customer and then promoted in the database, because
 * the API offers no way to become one.
 */
export async function createUser(
  app: FastifyInstance,
  options: {
    role?: 'customer' | 'admin';
    email?: string;
    password?: string;
    name?: string;
  } = {},
): Promise<CreatedUser> {
  const email = options.email ?? `user-${randomUUID()}@example.test`;
  const password =
    options.password ?? `pw-${randomBytes(12).toString('base64url')}`;
  const headers = bypassHeaders(app);

  const registered = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    headers,
    payload: { email, password, name: options.name ?? 'Test User' },
  });
  if (registered.statusCode !== 202) {
    throw new Error(
      `createUser: register returned ${registered.statusCode}: ${registered.body}`,
    );
  }

  if (options.role === 'admin') {
    await app.prisma.user.update({ where: { email }, data: { role: 'admin' } });
  }

  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers,
    payload: { email, password },
  });
  if (login.statusCode !== 200) {
    throw new Error(
      `createUser: login returned ${login.statusCode}: ${login.body}`,
    );
  }
  const body = login.json<{
    accessToken: string;
    refreshToken: string;
    user: { id: string };
  }>();

  return {
    id: body.user.id,
    email,
    password,
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
  };
}
