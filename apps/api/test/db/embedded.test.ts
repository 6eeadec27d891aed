import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import pg from 'pg';

import {
  EmbeddedDatabaseInUseError,
  startEmbeddedPostgres,
} from '../../src/db/embedded.js';

let parentDir: string;

before(async () => {
  parentDir = await mkdtemp(join(tmpdir(), 'shop-embedded-'));
});

after(async () => {
  await rm(parentDir, { recursive: true, force: true });
});

async function withClient<T>(url: string, task: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await task(client);
  } finally {
    await client.end();
  }
}

test('embedded postgres - data survives a restart', async () => {
  const dataDir = join(parentDir, 'pglite');

  const first = await startEmbeddedPostgres({ dataDir, port: 0 });
  try {
    assert.match(first.url, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    await withClient(first.url, async (client) => {
      await client.query('CREATE TABLE notes (body TEXT NOT NULL)');
      await client.query('INSERT INTO notes VALUES ($1)', ['kept']);
    });

    // A second process (or a second start) must not open the same files.
    await assert.rejects(
      startEmbeddedPostgres({ dataDir, port: 0 }),
      EmbeddedDatabaseInUseError,
    );
  } finally {
    await first.stop();
  }

  const second = await startEmbeddedPostgres({ dataDir, port: 0 });
  try {
    const rows = await withClient(second.url, (client) =>
      client.query<{ body: string }>('SELECT body FROM notes'),
    );
    assert.deepEqual(rows.rows, [{ body: 'kept' }]);
  } finally {
    await second.stop();
  }
});

test('embedded postgres - serves ten clients with extensions', async () => {
  const server = await startEmbeddedPostgres({ dataDir: 'memory://', port: 0 });
  const clients = Array.from({ length: 10 }, () => new pg.Client({ connectionString: server.url }));
  try {
    await Promise.all(clients.map((client) => client.connect()));

    const results = await Promise.all(
      clients.map((client, index) => client.query<{ value: number }>('SELECT $1::int AS value', [index])),
    );
    assert.deepEqual(
      results.map((result) => result.rows[0]?.value),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );

    const [first] = clients;
    assert.ok(first);
    await first.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await first.query('CREATE EXTENSION IF NOT EXISTS citext');
    const similarity = await first.query<{ score: number }>(
      "SELECT similarity('headphones', 'hedphones') AS score",
    );
    assert.ok((similarity.rows[0]?.score ?? 0) > 0.4);
    const citext = await first.query<{ equal: boolean }>(
      "SELECT 'Ann@X.test'::citext = 'ann@x.test'::citext AS equal",
    );
    assert.equal(citext.rows[0]?.equal, true);
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => {})));
    await server.stop();
  }
});
