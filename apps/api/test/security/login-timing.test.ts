import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import type { LightMyRequestResponse } from 'fastify';

import {
  createAccount,
  nextAddress,
  startSecurityApp,
  type SecurityTestApp,
  type TestAccount,
} from './support.js';

// Samples per kind of failure. Five fit under the per-account limit, so
// the wrong-password and disabled accounts are never locked.
const SAMPLES = 5;

type Kind = 'unknown email' | 'wrong password' | 'disabled account';

let testApp: SecurityTestApp;
let active: TestAccount;
let disabled: TestAccount;
// CPU time of this process (bcrypt runs on libuv worker threads, which
// count too) measures the work a login does. Wall time is only reported,
// because on a shared two-core machine other test processes add noise to
// it that is unrelated to the login path.
const timings: Record<Kind, number[]> = {
  'unknown email': [],
  'wrong password': [],
  'disabled account': [],
};
const responses: Record<Kind, LightMyRequestResponse[]> = {
  'unknown email': [],
  'wrong password': [],
  'disabled account': [],
};

function emailFor(kind: Kind): string {
  if (kind === 'wrong password') return active.email;
  if (kind === 'disabled account') return disabled.email;

  return `nobody-${randomUUID()}@example.com`;
}

const wallTimes: Record<Kind, number[]> = {
  'unknown email': [],
  'wrong password': [],
  'disabled account': [],
};

async function timeLogin(kind: Kind): Promise<void> {
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const response = await testApp.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: '10.3.0.1',
    headers: { 'x-forwarded-for': nextAddress() },
    payload: { email: emailFor(kind), password: 'not-the-password-1' },
  });

  const cpu = process.cpuUsage(cpuStart);
  timings[kind].push((cpu.user + cpu.system) / 1000);
  wallTimes[kind].push(Number(process.hrtime.bigint() - start) / 1e6);
  responses[kind].push(response);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);

  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

before(async () => {
  // The production cost: at a lower cost the database lookup, not bcrypt,
  // would dominate and hide a missing dummy comparison.
  testApp = await startSecurityApp({
    env: { BCRYPT_COST: '12', TRUST_PROXY_HOPS: '1' },
  });
  active = await createAccount(testApp.app);
  disabled = await createAccount(testApp.app);
  await testApp.app.prisma.user.update({
    where: { id: disabled.id },
    data: { active: false },
  });

  // Kinds take turns, so load from other test files hits all of them alike.
  for (let round = 0; round < SAMPLES; round++) {
    for (const kind of Object.keys(timings) as Kind[]) {
      await timeLogin(kind);
    }
  }
});

after(async () => {
  await testApp.close();
});

describe('login timing', () => {
  test('login timing - medians within 20 percent', () => {
    const medians = (Object.keys(timings) as Kind[]).map((kind) => ({
      kind,
      ms: median(timings[kind]),
      wallMs: median(wallTimes[kind]),
    }));
    const fastest = Math.min(...medians.map((entry) => entry.ms));
    const slowest = Math.max(...medians.map((entry) => entry.ms));
    const report = medians
      .map(
        (entry) =>
          `${entry.kind} ${entry.ms.toFixed(1)} ms CPU (${entry.wallMs.toFixed(1)} ms wall)`,
      )
      .join(', ');

    assert.ok(slowest <= fastest * 1.2, report);
  });

  test('login timing - same status for every kind', () => {
    for (const [kind, list] of Object.entries(responses)) {
      for (const response of list) {
        assert.equal(response.statusCode, 401, kind);
      }
    }
  });

  test('login timing - same body for every kind', () => {
    const bodies = Object.values(responses).flatMap((list) =>
      list.map((response) => {
        const { error } = response.json() as { error: Record<string, unknown> };
        const { requestId: _requestId, ...rest } = error;

        return JSON.stringify(rest);
      }),
    );

    assert.equal(new Set(bodies).size, 1, [...new Set(bodies)].join(' | '));
  });
});
