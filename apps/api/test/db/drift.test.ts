// Fails when prisma/schema.prisma and the committed migrations drift apart:
// the migrations are applied to a fresh database, and Prisma's schema
// engine (Wasm build) diffs that database against the schema.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  diagnoseMigrationHistory,
  diffDatabaseToSchema,
  hasStatements,
  openSchemaEngine,
  type SchemaEngineHandle,
} from '../../scripts/schema-engine.js';
import { defaultMigrationsDir, readMigrations } from '../../src/db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

// NOTE: the Wasm engine panics while reading the catalogs of the embedded
// PGlite server, so this file needs a real PostgreSQL in DATABASE_URL
// (CI sets it) and is skipped without one.
const skip = process.env.DATABASE_URL
  ? false
  : 'set DATABASE_URL to a PostgreSQL server to run the drift check';

let database: TestDatabase;
let engine: SchemaEngineHandle;

before(async () => {
  if (skip) return;
  database = await createTestDatabase();
  engine = await openSchemaEngine(database.url);
});

after(async () => {
  await engine?.close();
  await database?.drop();
});

// Diffs the migrated database against the committed schema after `edit`.
async function diffAgainstEditedSchema(
  edit: (schema: string) => string,
): Promise<string> {
  const edited = edit(engine.schema);
  assert.notEqual(edited, engine.schema, 'the edit changed the schema');

  const handle = await openSchemaEngine(database.url, edited);
  try {
    return await diffDatabaseToSchema(handle);
  } finally {
    await handle.close();
  }
}

test('migrations - match schema.prisma', { skip }, async () => {
  const script = await diffDatabaseToSchema(engine);

  assert.equal(hasStatements(script), false, `schema drift:\n${script}`);
});

test('drift check - detects an added field', { skip }, async () => {
  const script = await diffAgainstEditedSchema((schema) =>
    schema.replace(
      'featured            Boolean       @default(false)',
      'featured            Boolean       @default(false)\n  weightGrams Int? @map("weight_grams")',
    ),
  );

  assert.match(
    script,
    /ALTER TABLE "products" ADD COLUMN\s+"weight_grams" INTEGER/,
  );
});

test('drift check - detects a changed type', { skip }, async () => {
  const script = await diffAgainstEditedSchema((schema) =>
    schema.replace(
      'name                String        @db.VarChar(200)',
      'name                String        @db.VarChar(250)',
    ),
  );

  assert.match(script, /ALTER COLUMN "name" SET DATA TYPE VARCHAR\(250\)/);
});

test('drift check - detects a missing index', { skip }, async () => {
  const script = await diffAgainstEditedSchema((schema) =>
    schema.replace(
      '@@index([status, featured])',
      '@@index([status, featured])\n  @@index([stock])',
    ),
  );

  assert.match(script, /CREATE INDEX "products_stock_idx"/);
});

test(
  'migration history - prisma engine accepts runner records',
  { skip },
  async () => {
    const migrations = await readMigrations();
    const diagnosis = await diagnoseMigrationHistory(
      engine,
      defaultMigrationsDir,
      migrations,
    );

    assert.equal(diagnosis.hasMigrationsTable, true);
    assert.deepEqual(diagnosis.editedMigrationNames, []);
    assert.deepEqual(diagnosis.failedMigrationNames, []);
    assert.equal(diagnosis.history, null);
  },
);

test(
  'migration history - prisma engine sees an edited file',
  { skip },
  async () => {
    const migrations = await readMigrations();
    const [first, ...rest] = migrations;
    assert.ok(first, 'at least one migration exists');

    const edited = [{ ...first, sql: `${first.sql}\n-- edited\n` }, ...rest];
    const diagnosis = await diagnoseMigrationHistory(
      engine,
      defaultMigrationsDir,
      edited,
    );

    assert.deepEqual(diagnosis.editedMigrationNames, [first.name]);
  },
);
