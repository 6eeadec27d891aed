// Applies the SQL migrations under prisma/migrations in name order and
// records each one in Prisma's `_prisma_migrations` table, with the same
// columns and checksum as `prisma migrate deploy`, so that either tool can
// take over a database the other one migrated.
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The committed migrations folder (the same path from src/ and dist/). */
export const defaultMigrationsDir = fileURLToPath(
  new URL('../../prisma/migrations', import.meta.url),
);

// Prisma's schema engine (7.10) takes the same advisory lock key on
// PostgreSQL (`SELECT pg_advisory_lock(72707369)`), so this
// runner, another replica running it and `prisma migrate deploy` wait for
// each other.
const MIGRATION_LOCK_KEY = 72707369;

// The table definition of Prisma's schema engine 7.10.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  /** Folder name, such as 20261204160000_init. */
  name: string;
  sql: string;
  /** SHA-256 of migration.sql in lower-case hex, as Prisma computes it. */
  checksum: string;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

/** Raised when the database and the migrations folder disagree. */
export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** Computes the checksum Prisma stores for a migration script. */
export function checksumOf(sql: Buffer | string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/** Reads every `<name>/migration.sql` under `dir`, sorted by name. */
export async function readMigrations(
  dir = defaultMigrationsDir,
): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

  const migrations: Migration[] = [];
  for (const name of names) {
    const bytes = await readFile(join(dir, name, 'migration.sql'));
    migrations.push({
      name,
      sql: bytes.toString('utf8'),
      checksum: checksumOf(bytes),
    });
  }
  return migrations;
}

async function readAppliedRows(client: pg.Client): Promise<AppliedRow[]> {
  const result = await client.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at
       FROM "_prisma_migrations"
      WHERE rolled_back_at IS NULL
      ORDER BY started_at`,
  );
  return result.rows;
}

// Rejects a history that Prisma would also reject: a changed file or a
// migration that failed half-way on a previous run.
function checkAppliedRow(migration: Migration, row: AppliedRow): void {
  if (row.finished_at === null) {
    throw new MigrationError(
      `Migration ${migration.name} started earlier but did not finish. ` +
        'Repair the database by hand, then delete its row from _prisma_migrations.',
    );
  }
  if (row.checksum !== migration.checksum) {
    throw new MigrationError(
      `Migration ${migration.name} was changed after it was applied ` +
        `(checksum ${row.checksum} in the database, ${migration.checksum} on disk). ` +
        'Restore the original file and put the change in a new migration.',
    );
  }
}

// Runs one migration in its own transaction. The row is checked again
// inside the transaction because some servers (PGlite behind
// pglite-socket) run every connection in one session, where the advisory
// lock does not exclude a second runner, but transactions are serialized.
async function applyOne(
  client: pg.Client,
  migration: Migration,
): Promise<boolean> {
  await client.query('BEGIN');
  try {
    const existing = await client.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"
        WHERE migration_name = $1 AND rolled_back_at IS NULL`,
      [migration.name],
    );
    const row = existing.rows[0];
    if (row) {
      checkAppliedRow(migration, row);
      await client.query('COMMIT');
      return false;
    }

    const id = randomUUID();
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at)
       VALUES ($1, $2, $3, now())`,
      [id, migration.checksum, migration.name],
    );
    // A migration file contains several statements, so it runs through the
    // simple query protocol, which accepts them in one string.
    await client.query(migration.sql);
    await client.query(
      `UPDATE "_prisma_migrations"
          SET finished_at = clock_timestamp(), applied_steps_count = 1
        WHERE id = $1`,
      [id],
    );
    await client.query('COMMIT');
    return true;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    if (error instanceof MigrationError) throw error;
    throw new MigrationError(`Migration ${migration.name} failed`, {
      cause: error,
    });
  }
}

/**
 * Applies the migrations not yet recorded in the database, each in its own
 * transaction, while holding an advisory lock so that concurrent runners
 * apply each migration once. Throws MigrationError when an applied
 * migration's file changed or an earlier run failed half-way.
 */
export async function applyMigrations(
  databaseUrl: string,
  log: (message: string) => void = () => {},
  options: { migrationsDir?: string } = {},
): Promise<{ applied: string[] }> {
  const migrations = await readMigrations(options.migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();

  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(CREATE_MIGRATIONS_TABLE);

    const appliedRows = await readAppliedRows(client);
    const appliedByName = new Map(
      appliedRows.map((row) => [row.migration_name, row]),
    );
    for (const migration of migrations) {
      const row = appliedByName.get(migration.name);
      if (row) checkAppliedRow(migration, row);
    }

    const known = new Set(migrations.map((migration) => migration.name));
    for (const row of appliedRows) {
      if (!known.has(row.migration_name)) {
        log(
          `migration ${row.migration_name} is in the database but not on disk`,
        );
      }
    }

    const applied: string[] = [];
    for (const migration of migrations) {
      if (appliedByName.has(migration.name)) continue;
      if (await applyOne(client, migration)) {
        applied.push(migration.name);
        log(`applied migration ${migration.name}`);
      }
    }
    return { applied };
  } finally {
    await client
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
      .catch(() => {});
    await client.end();
  }
}
