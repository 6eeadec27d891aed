import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import pg from 'pg';

import {
  applyMigrations,
  checksumOf,
  defaultMigrationsDir,
  MigrationError,
  readMigrations,
} from '../../src/db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const databases: TestDatabase[] = [];
let scratchDir: string;

before(async () => {
  scratchDir = await mkdtemp(join(tmpdir(), 'shop-migrations-'));
});

after(async () => {
  await Promise.all(databases.map((database) => database.drop()));
  await rm(scratchDir, { recursive: true, force: true });
});

let embedded: TestDatabase | undefined;

// Returns the URL of a database without tables. An embedded server takes
// seconds to start, so without DATABASE_URL one server is reused and its
// schema emptied between tests, which run one after another.
async function emptyDatabase(): Promise<string> {
  if (process.env.DATABASE_URL) {
    const database = await createTestDatabase({ migrated: false });
    databases.push(database);
    return database.url;
  }

  if (!embedded) {
    embedded = await createTestDatabase({ migrated: false });
    databases.push(embedded);
  }
  await query(embedded.url, 'DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  return embedded.url;
}

async function query<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

// Copies the committed migrations to a folder the test may change.
async function copyMigrations(name: string): Promise<string> {
  const dir = join(scratchDir, name);
  await cp(defaultMigrationsDir, dir, { recursive: true });
  return dir;
}

test('migrate - applies every migration to a fresh database', async () => {
  const url = await emptyDatabase();
  const migrations = await readMigrations();

  const result = await applyMigrations(url);

  assert.deepEqual(
    result.applied,
    migrations.map((migration) => migration.name),
  );
  const tables = await query<{ table_name: string }>(
    url,
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_name = 'products'`,
  );
  assert.equal(tables.length, 1, 'the products table exists');
});

test('migrate - records Prisma checksums', async () => {
  const url = await emptyDatabase();
  await applyMigrations(url);
  const [first] = await readMigrations();
  assert.ok(first);
  const bytes = await readFile(
    join(defaultMigrationsDir, first.name, 'migration.sql'),
  );

  const rows = await query<{
    migration_name: string;
    checksum: string;
    finished_at: Date | null;
    applied_steps_count: number;
  }>(url, 'SELECT * FROM "_prisma_migrations" ORDER BY migration_name');

  assert.equal(rows[0]?.migration_name, first.name);
  assert.equal(rows[0]?.checksum, checksumOf(bytes));
  assert.match(rows[0]?.checksum ?? '', /^[0-9a-f]{64}$/);
  assert.notEqual(rows[0]?.finished_at, null);
  assert.equal(rows[0]?.applied_steps_count, 1);
});

test('migrate - second run applies nothing', async () => {
  const url = await emptyDatabase();
  await applyMigrations(url);

  const second = await applyMigrations(url);

  assert.deepEqual(second.applied, []);
  const rows = await query(url, 'SELECT id FROM "_prisma_migrations"');
  const migrations = await readMigrations();
  assert.equal(rows.length, migrations.length);
});

test('migrate - rejects an edited applied migration', async () => {
  const url = await emptyDatabase();
  const dir = await copyMigrations('edited');
  await applyMigrations(url, undefined, { migrationsDir: dir });
  const [first] = await readMigrations(dir);
  assert.ok(first);
  await writeFile(
    join(dir, first.name, 'migration.sql'),
    `${first.sql}\nCREATE TABLE "sneaky" ("id" INTEGER);\n`,
  );

  await assert.rejects(
    applyMigrations(url, undefined, { migrationsDir: dir }),
    (error: unknown) =>
      error instanceof MigrationError &&
      /was changed after it was applied/.test(error.message),
  );
  const sneaky = await query(
    url,
    `SELECT 1 FROM information_schema.tables WHERE table_name = 'sneaky'`,
  );
  assert.equal(sneaky.length, 0, 'the edited file did not run');
});

test('migrate - failed migration leaves no record', async () => {
  const url = await emptyDatabase();
  const dir = await copyMigrations('failing');
  await mkdir(join(dir, '29991231000000_broken'));
  await writeFile(
    join(dir, '29991231000000_broken', 'migration.sql'),
    'CREATE TABLE "half_done" ("id" INTEGER);\nSELECT * FROM "no_such_table";\n',
  );

  await assert.rejects(
    applyMigrations(url, undefined, { migrationsDir: dir }),
    (error: unknown) =>
      error instanceof MigrationError &&
      /29991231000000_broken failed/.test(error.message),
  );
  const records = await query<{ migration_name: string }>(
    url,
    'SELECT migration_name FROM "_prisma_migrations"',
  );
  assert.equal(
    records.some((row) => row.migration_name === '29991231000000_broken'),
    false,
  );
  const halfDone = await query(
    url,
    `SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`,
  );
  assert.equal(halfDone.length, 0, 'the failed transaction was rolled back');
});

test('migrate - concurrent runners apply each migration once', async () => {
  const url = await emptyDatabase();
  const migrations = await readMigrations();

  const results = await Promise.all([
    applyMigrations(url),
    applyMigrations(url),
    applyMigrations(url),
  ]);

  const appliedCount = results.reduce(
    (sum, result) => sum + result.applied.length,
    0,
  );
  assert.equal(appliedCount, migrations.length);
  const rows = await query(url, 'SELECT id FROM "_prisma_migrations"');
  assert.equal(rows.length, migrations.length);
});
