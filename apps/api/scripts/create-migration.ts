// Creates prisma/migrations/<timestamp>_<name>/migration.sql with the SQL
// that brings a database migrated to the latest committed migration up to
// prisma/schema.prisma, the job of `prisma migrate dev --create-only`.
//
// Usage: DATABASE_URL=postgres://... tsx scripts/create-migration.ts <name>
// The server in DATABASE_URL only hosts a scratch database, which is
// dropped at the end.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import pg from 'pg';

import { applyMigrations, defaultMigrationsDir } from '../src/db/migrate.js';
import {
  diffDatabaseToSchema,
  hasStatements,
  openSchemaEngine,
} from './schema-engine.js';

const NAME_PATTERN = /^[a-z0-9_]{1,60}$/;

// Prisma names migration folders after the UTC time: 20261204160000.
function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function runOnServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function diffAgainstScratchDatabase(serverUrl: string): Promise<string> {
  const scratch = `shop_migration_${randomBytes(4).toString('hex')}`;
  const scratchUrl = withDatabase(serverUrl, scratch);
  await runOnServer(serverUrl, `CREATE DATABASE ${scratch}`);

  try {
    await applyMigrations(scratchUrl);
    const engine = await openSchemaEngine(scratchUrl);
    try {
      return await diffDatabaseToSchema(engine);
    } finally {
      await engine.close();
    }
  } finally {
    await runOnServer(
      serverUrl,
      `DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`,
    );
  }
}

async function main(): Promise<number> {
  const name = process.argv[2];
  if (!name || !NAME_PATTERN.test(name)) {
    process.stderr.write(
      'Usage: npm run db:migration:create -w apps/api -- <name>\n' +
        '  <name>: 1 to 60 characters of a-z, 0-9 and _, such as add_product_weight\n',
    );
    return 2;
  }

  // The Wasm schema engine cannot read PGlite's catalogs, so a real
  // PostgreSQL server is required here.
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    process.stderr.write(
      'DATABASE_URL is missing: set it to a PostgreSQL server where a scratch database may be created,\n' +
        'for example postgres://postgres@127.0.0.1:5432/postgres\n',
    );
    return 2;
  }

  const script = await diffAgainstScratchDatabase(serverUrl);
  if (!hasStatements(script)) {
    process.stdout.write(
      'schema.prisma matches the migrations: nothing to create\n',
    );
    return 0;
  }

  const folder = join(defaultMigrationsDir, `${timestamp(new Date())}_${name}`);
  await mkdir(folder);
  await writeFile(join(folder, 'migration.sql'), script);
  process.stdout.write(
    `Created ${join(folder, 'migration.sql')}:\n\n${script}\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
