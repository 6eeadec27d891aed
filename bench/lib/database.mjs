import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

import { Redis } from 'ioredis';
import pg from 'pg';

/** Returns `serverUrl` with its database name replaced by `name`. */
export function databaseUrlFor(serverUrl, name) {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient(serverUrl, work) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database. `name` must be a plain identifier (checked). */
export async function createDatabase(serverUrl, name) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new Error(`Invalid database name: ${name}`);
  await withClient(serverUrl, (client) =>
    client.query(`CREATE DATABASE "${name}"`),
  );
}

/** Drops the database, closing any connection still open to it (PostgreSQL 13+). */
export async function dropDatabase(serverUrl, name) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new Error(`Invalid database name: ${name}`);
  await withClient(serverUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  );
}

/**
 * Applies the API's migrations and seeds the catalog with the API's own
 * compiled code in `distDir` (apps/api/dist), so the data matches what
 * `npm run db:seed` produces.
 */
export async function migrateAndSeed(distDir, databaseUrl) {
  const modulePath = (name) => {
    const file = `${distDir}/db/${name}.js`;
    if (!existsSync(file)) {
      throw new Error(
        `${file} is missing: build the API first (npm run build -w apps/api).`,
      );
    }
    return pathToFileURL(file).href;
  };

  const { applyMigrations } = await import(modulePath('migrate'));
  const { createPrismaClient } = await import(modulePath('client'));
  const { seedDatabase } = await import(modulePath('seed'));

  const { applied } = await applyMigrations(databaseUrl);
  const prisma = createPrismaClient(databaseUrl, { poolSize: 2 });
  try {
    const seeded = await seedDatabase(prisma, { withDevAccounts: false });
    return {
      migrations: applied.length,
      categories: seeded.categories,
      products: seeded.products,
    };
  } finally {
    await prisma.$disconnect();
  }
}

/** Deletes every Redis key under `prefix` with SCAN, never FLUSHDB. */
export async function deleteRedisKeys(redisUrl, prefix) {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${prefix}*`,
        'COUNT',
        500,
      );
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/** Process ids of the PostgreSQL backends connected to database `name`. */
export async function listBackendPids(serverUrl, name) {
  return withClient(serverUrl, async (client) => {
    const { rows } = await client.query(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    return rows.map((row) => row.pid);
  });
}
