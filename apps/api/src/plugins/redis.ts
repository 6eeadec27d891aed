import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';

/** Small key-value cache with expiry, backed by Redis or process memory. */
export interface Cache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(key: string): Promise<void>;
}

export interface RedisPluginOptions {
  /** Redis URL; when unset, the cache lives in process memory. */
  url?: string;
  /** Prefix of every key, so several apps or test files can share one Redis. */
  keyPrefix: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The Redis connection, or null when REDIS_URL is unset. */
    redis: Redis | null;
    cache: Cache;
  }
}

// Upper bound on entries of the in-memory cache, so a flood of distinct keys
// cannot grow the process without limit. The oldest entry is evicted first.
const MEMORY_CACHE_MAX_ENTRIES = 10_000;

class MemoryCache implements Cache {
  private readonly entries = new Map<
    string,
    { value: string; expiresAt: number }
  >();

  async get(key: string): Promise<string | null> {
    const entry = this.entries.get(key);
    if (!entry) return null;

    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return null;
    }
    return entry.value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.entries.delete(key);
    if (this.entries.size >= MEMORY_CACHE_MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 });
  }

  async del(key: string): Promise<void> {
    this.entries.delete(key);
  }
}

class RedisCache implements Cache {
  constructor(private readonly redis: Redis) {}

  async get(key: string): Promise<string | null> {
    return this.redis.get(`cache:${key}`);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(`cache:${key}`, value, 'EX', ttlSeconds);
  }

  async del(key: string): Promise<void> {
    await this.redis.del(`cache:${key}`);
  }
}

function connectRedis(
  app: FastifyInstance,
  options: RedisPluginOptions,
): Redis {
  const redis = new Redis(options.url as string, {
    keyPrefix: options.keyPrefix,
    // Fail a command after one retry instead of queueing it forever, so a
    // Redis outage turns into errors (and a failing /ready) rather than hangs.
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });

  // ioredis emits an error on every failed reconnect attempt; log the first
  // one of each outage and the recovery, not every retry.
  let outageLogged = false;
  redis.on('error', (err) => {
    if (outageLogged) return;
    outageLogged = true;
    app.log.error(
      { err },
      'Redis connection failed; retrying in the background',
    );
  });
  redis.on('ready', () => {
    if (outageLogged) app.log.info('Redis connection restored');
    outageLogged = false;
  });

  return redis;
}

async function redisPlugin(
  app: FastifyInstance,
  options: RedisPluginOptions,
): Promise<void> {
  if (!options.url) {
    app.log.warn(
      'REDIS_URL is unset: cache and counters live in process memory and are not shared between API processes',
    );
    app.decorate('redis', null);
    app.decorate('cache', new MemoryCache());
    return;
  }

  const redis = connectRedis(app, options);
  app.decorate('redis', redis);
  app.decorate('cache', new RedisCache(redis));

  app.addHook('onClose', async () => {
    try {
      await redis.quit();
    } catch {
      // quit fails when the connection is already down; drop it instead.
      redis.disconnect();
    }
  });
}

/** Decorates `app.redis` (ioredis or null) and `app.cache`. */
export default fp(redisPlugin, { name: 'redis' });
