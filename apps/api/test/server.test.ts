import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { createTestDatabase, type TestDatabase } from './helpers/database.js';

const apiRoot = fileURLToPath(new URL('..', import.meta.url));

describe('server process', () => {
  let database: TestDatabase;

  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await database.drop();
  });

  test('server - SIGTERM drains and exits 0', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/server.ts'],
      {
        cwd: apiRoot,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          HOST: '127.0.0.1',
          PORT: '0',
          LOG_LEVEL: 'info',
          DATABASE_URL: database.url,
          ...(process.env.REDIS_URL
            ? { REDIS_URL: process.env.REDIS_URL }
            : {}),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit') as Promise<
      [number | null, NodeJS.Signals | null]
    >;

    try {
      const url = await waitForUrl(() => output, 30_000);
      const health = await fetch(`${url}/health`);
      assert.equal(health.status, 200);

      child.kill('SIGTERM');
      const [code, signal] = await exited;

      assert.equal(signal, null, output);
      assert.equal(code, 0, output);
      assert.match(output, /Shutting down/);
      assert.match(output, /Server stopped/);
      await assert.rejects(fetch(`${url}/health`), 'the port is closed');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  test('server - invalid config exits 1', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/server.ts'],
      {
        cwd: apiRoot,
        env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: 'eighty' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];

    assert.equal(code, 1);
    assert.match(stderr, /PORT: expected an integer/);
    assert.match(stderr, /JWT_SECRET: missing/);
  });
});

async function waitForUrl(
  read: () => string,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /API listening on (http:\/\/\S+)/.exec(read());
    if (match?.[1]) return match[1];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server did not start within ${timeoutMs} ms:\n${read()}`);
}
