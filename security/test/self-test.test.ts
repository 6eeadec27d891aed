// Scans the deliberately vulnerable fixture with the real wapiti and sqlmap
// (about a minute on 2 cores) and checks that each planted flaw is found.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSelfTest } from '../self-test.mjs';

const adminUrl =
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

test(
  'self-test - scan catches each planted flaw',
  { timeout: 180_000 },
  async () => {
    const { checks } = await runSelfTest({ adminUrl });
    for (const check of checks) assert.ok(check.ok, check.name);
  },
);
