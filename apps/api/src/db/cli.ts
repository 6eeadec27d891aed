// Database commands: `migrate`, `seed` and `admin:create --email <address>`.
// They use DATABASE_URL when set, and the embedded database otherwise.
// Run with tsx from the source (`npm run db:migrate`) or with node from a
// build (`node dist/db/cli.js migrate`).
import { parseArgs } from 'node:util';

import bcrypt from 'bcrypt';
import { z } from 'zod';

import { ConfigError, loadConfig, type AppConfig } from '../config.js';
import { createPrismaClient } from './client.js';
import {
  EmbeddedDatabaseInUseError,
  startEmbeddedPostgres,
} from './embedded.js';
import { applyMigrations } from './migrate.js';
import { readPassword } from './read-password.js';
import { seedDatabase } from './seed.js';

const BCRYPT_COST = 12;
const MIN_PASSWORD_BYTES = 12;
// bcrypt ignores every byte after the 72nd.
const MAX_PASSWORD_BYTES = 72;

const USAGE = `Usage: cli.ts <command>
  migrate                      apply pending migrations
  seed                         write the demo catalog (and development accounts
                               unless NODE_ENV=production)
  admin:create --email <addr>  create or promote an admin; the password is
                               read from standard input`;

type Log = (message: string) => void;
const log: Log = (message) => process.stdout.write(`${message}\n`);

// Runs `task` against DATABASE_URL, or against the embedded database. When
// a running API already serves the embedded database, the command connects
// to it instead of opening the same files a second time.
async function withDatabase<T>(
  config: AppConfig,
  task: (databaseUrl: string, embedded: boolean) => Promise<T>,
): Promise<T> {
  if (config.databaseUrl) return task(config.databaseUrl, false);

  const { dataDir, port } = config.embeddedDb;
  let server;
  try {
    server = await startEmbeddedPostgres({ dataDir, port });
  } catch (error) {
    if (!(error instanceof EmbeddedDatabaseInUseError)) throw error;
    log(
      `The embedded database is served by process ${error.ownerPid}: using port ${port}`,
    );
    return task(`postgres://postgres@127.0.0.1:${port}/postgres`, true);
  }

  log(`Opened the embedded database in ${dataDir}`);
  try {
    return await task(server.url, true);
  } finally {
    await server.stop();
  }
}

async function migrateCommand(config: AppConfig): Promise<void> {
  await withDatabase(config, async (databaseUrl) => {
    const { applied } = await applyMigrations(databaseUrl, log);
    log(
      applied.length === 0
        ? 'No pending migrations'
        : `Applied ${applied.length} migration(s)`,
    );
  });
}

async function seedCommand(config: AppConfig): Promise<void> {
  await withDatabase(config, async (databaseUrl, embedded) => {
    // The embedded database is migrated on demand. A real server is
    // migrated by `npm run db:migrate` or by the API at startup.
    if (embedded) await applyMigrations(databaseUrl, log);

    const prisma = createPrismaClient(databaseUrl, { poolSize: 2 });
    try {
      const result = await seedDatabase(prisma, {
        withDevAccounts: config.nodeEnv !== 'production',
      });
      log(
        `Seeded ${result.categories} categories and ${result.products} products`,
      );
      for (const account of result.accounts) {
        log(
          `  ${account.role.padEnd(8)} ${account.email}  ${account.password}`,
        );
      }
    } finally {
      await prisma.$disconnect();
    }
  });
}

function checkPassword(password: string): string | undefined {
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes < MIN_PASSWORD_BYTES || bytes > MAX_PASSWORD_BYTES) {
    return `The password must be ${MIN_PASSWORD_BYTES} to ${MAX_PASSWORD_BYTES} bytes long (got ${bytes}).`;
  }
  return undefined;
}

async function adminCreateCommand(
  config: AppConfig,
  args: string[],
): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' } },
  });
  const email = z.email().max(254).safeParse(values.email);
  if (!email.success) {
    throw new UsageError('--email must be a valid email address');
  }
  const name = values.name ?? 'Administrator';

  const password = await readPassword(`Password for ${email.data}: `);
  const problem = checkPassword(password);
  if (problem) throw new UsageError(problem);
  const passwordHash = await bcrypt.hash(password, BCRYPT_COST);

  await withDatabase(config, async (databaseUrl) => {
    const prisma = createPrismaClient(databaseUrl, { poolSize: 1 });
    try {
      const existing = await prisma.user.findUnique({
        where: { email: email.data },
      });
      await prisma.user.upsert({
        where: { email: email.data },
        create: { email: email.data, name, role: 'admin', passwordHash },
        update: { role: 'admin', active: true, passwordHash },
      });
      log(
        existing
          ? `Promoted ${email.data} to admin and set the password`
          : `Created admin ${email.data}`,
      );
    } finally {
      await prisma.$disconnect();
    }
  });
}

/** Raised for a bad command line; printed without a stack trace. */
class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();

  switch (command) {
    case 'migrate':
      await migrateCommand(config);
      return 0;
    case 'seed':
      await seedCommand(config);
      return 0;
    case 'admin:create':
      await adminCreateCommand(config, rest);
      return 0;
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    if (error instanceof Error && error.cause) {
      process.stderr.write(`Caused by: ${String(error.cause)}\n`);
    }
    process.exit(1);
  },
);
