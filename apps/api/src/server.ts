import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';

import { buildApp } from './app.js';
import { type AppConfig, ConfigError, loadConfig } from './config.js';
import { createPrismaClient } from './db/client.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './db/embedded.js';
import { applyMigrations } from './db/migrate.js';
import { createLoggerOptions } from './logger.js';

/** Maximum time to drain requests and close connections after SIGTERM, in ms. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

function readConfig(): AppConfig {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

async function seedEmbedded(
  config: AppConfig,
  databaseUrl: string,
): Promise<void> {
  // Loaded here so that a start against DATABASE_URL never loads seed data.
  const { seedDatabase } = await import('./db/seed.js');
  const prisma = createPrismaClient(databaseUrl, { poolSize: 2 });
  try {
    const result = await seedDatabase(prisma, {
      withDevAccounts: config.nodeEnv !== 'production',
    });
    if (config.nodeEnv !== 'development' || result.accounts.length === 0)
      return;

    // Printed, not logged: these are fixed development passwords that the
    // developer needs to read, and the logger redacts password fields.
    const emailWidth = Math.max(...result.accounts.map((a) => a.email.length));
    const lines = result.accounts.map(
      (account) =>
        `  ${account.role.padEnd(8)}  ${account.email.padEnd(emailWidth)}  ${account.password}`,
    );
    process.stdout.write(`\nDevelopment accounts:\n${lines.join('\n')}\n\n`);
  } finally {
    await prisma.$disconnect();
  }
}

/**
 * Returns the database URL to use: DATABASE_URL as is, or a started
 * embedded PostgreSQL under EMBEDDED_DB_DIR.
 */
async function prepareDatabase(
  config: AppConfig,
  logger: Logger,
): Promise<{ databaseUrl: string; embedded?: EmbeddedPostgres }> {
  if (config.databaseUrl) {
    await applyMigrations(config.databaseUrl, (message) =>
      logger.info(message),
    );
    return { databaseUrl: config.databaseUrl };
  }

  const embedded = await startEmbeddedPostgres({
    dataDir: config.embeddedDb.dataDir,
    host: '127.0.0.1',
    port: config.embeddedDb.port,
  });
  logger.info(
    { dataDir: config.embeddedDb.dataDir, port: config.embeddedDb.port },
    'DATABASE_URL is unset: started the embedded PostgreSQL',
  );

  try {
    await applyMigrations(embedded.url, (message) => logger.info(message));
    await seedEmbedded(config, embedded.url);
  } catch (err) {
    await embedded.stop();
    throw err;
  }
  return { databaseUrl: embedded.url, embedded };
}

function handleSignals(
  app: FastifyInstance,
  logger: Logger,
  embedded: EmbeddedPostgres | undefined,
): void {
  let stopping = false;

  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) {
      logger.warn(
        { signal },
        'Second signal received: exiting without draining',
      );
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'Shutting down: readiness off, draining requests');

    // /ready returns 503 from now on, and close() stops accepting connections,
    // waits for in-flight requests and then closes Prisma and Redis.
    app.readiness.shuttingDown = true;
    const timer = setTimeout(() => {
      logger.error({ timeoutMs: SHUTDOWN_TIMEOUT_MS }, 'Shutdown timed out');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();

    try {
      await app.close();
      await embedded?.stop();
      clearTimeout(timer);
      logger.info('Server stopped');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'Shutdown failed');
      process.exit(1);
    }
  };

  process.on('SIGINT', (signal) => void shutdown(signal));
  process.on('SIGTERM', (signal) => void shutdown(signal));
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = pino(createLoggerOptions(config) as pino.LoggerOptions);

  if (config.jwt.secretGenerated) {
    logger.warn(
      'JWT_SECRET is unset: using a random secret for this process, so tokens stop working after a restart',
    );
  }

  const { databaseUrl, embedded } = await prepareDatabase(config, logger);
  let app: FastifyInstance;
  try {
    app = await buildApp({ config: { ...config, databaseUrl }, logger });
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await embedded?.stop();
    throw err;
  }

  handleSignals(app, logger, embedded);
  const address = app.server.address();
  const port =
    typeof address === 'object' && address ? address.port : config.port;
  process.stdout.write(`API listening on http://${config.host}:${port}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `The API failed to start: ${(err as Error).stack ?? String(err)}\n`,
  );
  process.exit(1);
});
