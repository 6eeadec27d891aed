import { randomUUID } from 'node:crypto';

import swagger from '@fastify/swagger';
import Fastify, {
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyServerOptions,
} from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';

import type { AppConfig } from './config.js';
import { createLoggerOptions } from './logger.js';
import adminRoutes from './modules/admin/routes.js';
import authRoutes from './modules/auth/routes.js';
import cartRoutes from './modules/cart/routes.js';
import catalogRoutes from './modules/catalog/routes.js';
import healthRoutes from './modules/health/routes.js';
import imagesRoutes from './modules/images/routes.js';
import ordersRoutes from './modules/orders/routes.js';
import searchRoutes from './modules/search/routes.js';
import authentication from './plugins/authentication.js';
import cacheControl from './plugins/cache-control.js';
import database from './plugins/database.js';
import errorHandler from './plugins/error-handler.js';
import openapiErrors from './plugins/openapi-errors.js';
import rateLimit from './plugins/rate-limit.js';
import redis from './plugins/redis.js';
import requestParsing from './plugins/request-parsing.js';
import securityEvents from './plugins/security-events.js';
import securityHeaders, {
  handleFrameworkError,
} from './plugins/security-headers.js';

export interface BuildAppOptions {
  config: AppConfig;
  /** A pino logger instance or options; defaults to one built from the config. */
  logger?:
    FastifyServerOptions['loggerInstance'] | FastifyServerOptions['logger'];
  /**
   * Extra plugins registered after every module, for tests that need a
   * route of their own (for example one that throws).
   */
  plugins?: FastifyPluginAsync[];
}

/** Readiness state that `/ready` reports and shutdown switches off. */
export interface Readiness {
  shuttingDown: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: AppConfig;
    readiness: Readiness;
  }
}

/** Maximum request body, 1 MiB, from the security baseline. */
export const BODY_LIMIT_BYTES = 1_048_576;

function loggerOptions(
  options: BuildAppOptions,
): Partial<FastifyServerOptions> {
  const { logger } = options;
  if (logger && typeof logger === 'object' && 'child' in logger) {
    return { loggerInstance: logger as FastifyServerOptions['loggerInstance'] };
  }
  return { logger: logger ?? createLoggerOptions(options.config) };
}

// Trusts X-Forwarded-For for exactly `hops` proxies in front of the API
// (hop 0 is the peer of the socket). Never `true`, which would let any
// client choose its own address.
function trustProxyHops(hops: number): FastifyServerOptions['trustProxy'] {
  if (hops === 0) return false;
  return (_address: string, hopIndex: number) => hopIndex < hops;
}

/**
 * Builds the API without listening. The caller (server.ts or a test) calls
 * `listen` or `inject`, and `close` to release the database and Redis.
 */
export async function buildApp(
  options: BuildAppOptions,
): Promise<FastifyInstance> {
  const { config } = options;
  if (!config.databaseUrl) {
    throw new Error(
      'buildApp needs config.databaseUrl: start the embedded database first',
    );
  }

  const serverOptions: FastifyServerOptions = {
    ...loggerOptions(options),
    genReqId: () => randomUUID(),
    // Incoming request ids are not trusted: a client could forge log lines.
    requestIdHeader: false,
    bodyLimit: BODY_LIMIT_BYTES,
    // Never `true`: only the configured number of proxies may set the client
    // address through X-Forwarded-For.
    trustProxy: trustProxyHops(config.trustProxyHops),
    return503OnClosing: true,
    frameworkErrors: handleFrameworkError,
  };
  const app = Fastify(serverOptions);

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('config', config);
  app.decorate('readiness', { shuttingDown: false });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });

  // Cross-cutting plugins, in dependency order. The headers come first so
  // that every later rejection (429, 415, 400) carries them; the rate limit
  // runs before request parsing so that malformed requests count too.
  await app.register(securityHeaders);
  await app.register(errorHandler);
  await app.register(cacheControl);
  await app.register(securityEvents);
  await app.register(redis, {
    url: config.redisUrl,
    keyPrefix: config.redisKeyPrefix,
  });
  await app.register(database, {
    databaseUrl: config.databaseUrl,
    poolSize: config.databasePoolSize,
  });
  await app.register(authentication, { jwt: config.jwt });
  await app.register(rateLimit, {
    redis: app.redis,
    bypassToken: config.rateLimitBypassToken,
  });
  await app.register(requestParsing);

  // Swagger must be registered before the routes it documents.
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Hardened Shop API',
        version: '0.1.0',
        description:
          'Catalog, cart, checkout, orders and administration of the shop.',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  // Documents the security requirement and error responses of the routes
  // registered below.
  await app.register(openapiErrors);

  // Business modules. Each routes file declares its own paths under /api.
  await app.register(healthRoutes);
  await app.register(authRoutes, { prefix: '/api' });
  await app.register(catalogRoutes, { prefix: '/api' });
  await app.register(imagesRoutes, { prefix: '/api' });
  await app.register(searchRoutes, { prefix: '/api' });
  await app.register(cartRoutes, { prefix: '/api' });
  await app.register(ordersRoutes, { prefix: '/api' });
  await app.register(adminRoutes, { prefix: '/api' });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () =>
    app.swagger(),
  );

  for (const plugin of options.plugins ?? []) {
    await app.register(plugin);
  }

  return app;
}
