// A fresh, migrated, unseeded database for each test file.
//
// With DATABASE_URL set, the migrations are applied once to a template
// database named after their checksums, and each test file gets a copy
// (`CREATE DATABASE ... TEMPLATE`), which takes milliseconds. Without
// DATABASE_URL, each test file starts its own in-memory embedded server.
import { createHash, randomBytes } from 'node:crypto';

import pg from 'pg';

import { startEmbeddedPostgres } from '../../src/db/embedded.js';
import { applyMigrations, readMigrations } from '../../src/db/migrate.js';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

// Advisory lock key that serializes template creation and cloning across
// the test processes that share one server.
const TEMPLATE_LOCK_KEY = 734_211_905;

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function templateName(): Promise<string> {
  const migrations = await readMigrations();
  const hash = createHash('sha256');
  for (const migration of migrations) {
    hash.update(`${migration.name}:${migration.checksum}\n`);
  }
  return `shop_test_template_${hash.digest('hex').slice(0, 16)}`;
}

async function databaseExists(
  client: pg.Client,
  name: string,
): Promise<boolean> {
  const result = await client.query(
    'SELECT 1 FROM pg_database WHERE datname = $1',
    [name],
  );
  return result.rowCount === 1;
}

// Builds the template under a temporary name and renames it when the
// migrations succeeded, so a crash never leaves a half-migrated template.
async function buildTemplate(
  client: pg.Client,
  serverUrl: string,
  template: string,
): Promise<void> {
  const building = `${template}_build_${process.pid}`;
  const buildingId = client.escapeIdentifier(building);

  await client.query(`DROP DATABASE IF EXISTS ${buildingId}`);
  await client.query(`CREATE DATABASE ${buildingId}`);
  try {
    await applyMigrations(withDatabase(serverUrl, building));
  } catch (error) {
    await client.query(`DROP DATABASE IF EXISTS ${buildingId} WITH (FORCE)`);
    throw error;
  }
  await client.query(
    `ALTER DATABASE ${buildingId} RENAME TO ${client.escapeIdentifier(template)}`,
  );
}

async function createOnServer(
  serverUrl: string,
  migrated: boolean,
): Promise<TestDatabase> {
  const template = migrated ? await templateName() : 'template0';
  const name = `shop_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();

  try {
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    if (migrated && !(await databaseExists(client, template))) {
      await buildTemplate(client, serverUrl, template);
    }
    // Cloning fails while another session is connected to the template,
    // so it also happens under the lock. Nothing else connects to it.
    await client.query(
      `CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(template)}`,
    );
  } finally {
    await client
      .query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY])
      .catch(() => {});
    await client.end();
  }

  return {
    url: withDatabase(serverUrl, name),
    async drop() {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      try {
        await admin.query(
          `DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`,
        );
      } finally {
        await admin.end();
      }
    },
  };
}

async function createEmbedded(migrated: boolean): Promise<TestDatabase> {
  const server = await startEmbeddedPostgres({ dataDir: 'memory://', port: 0 });
  try {
    if (migrated) await applyMigrations(server.url);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: server.url, drop: () => server.stop() };
}

/**
 * Creates an empty, migrated database for one test file: a copy of a
 * template on the DATABASE_URL server, or an in-memory embedded server
 * when DATABASE_URL is unset. Call `drop()` in the file's `after` hook.
 * With `migrated: false` the database has no tables at all.
 */
export async function createTestDatabase(
  options: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;

  // Tests read the environment directly because no app config exists yet.
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) return createOnServer(serverUrl, migrated);
  return createEmbedded(migrated);
}
