import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { SECURITY_EVENTS } from '../../src/plugins/security-events.js';
import {
  createAccount,
  nextAddress,
  startSecurityApp,
  type LogLine,
  type SecurityTestApp,
  type TestAccount,
} from './support.js';

const JWT_SECRET = randomBytes(48).toString('base64url');
const BYPASS_TOKEN = randomBytes(32).toString('base64url');
const MASKED_EMAIL = /^[^*@]\*\*\*@example\.com$/;

let testApp: SecurityTestApp;
let app: FastifyInstance;
let account: TestAccount;
// Every secret the run handles; none may appear in any log line.
const secrets: string[] = [JWT_SECRET, BYPASS_TOKEN];

function post(
  url: string,
  payload: unknown,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: 'POST',
    url,
    remoteAddress: nextAddress(),
    headers,
    payload: payload as Record<string, unknown>,
  });
}

before(async () => {
  testApp = await startSecurityApp({
    jwtSecret: JWT_SECRET,
    env: { BCRYPT_COST: '4', RATE_LIMIT_BYPASS_TOKEN: BYPASS_TOKEN },
    plugins: [
      async (instance) => {
        instance.get(
          '/test/admin-only',
          { onRequest: [instance.authenticate, instance.requireAdmin] },
          async () => ({ ok: true }),
        );
        // A careless log call, as a future change might write one: the
        // logger must still redact what it contains.
        instance.post(
          '/test/careless-log',
          { schema: { body: z.unknown() } },
          async (request) => {
            request.log.error(
              { headers: request.headers, body: request.body },
              'logged a whole request',
            );
            return { ok: true };
          },
        );
      },
    ],
  });
  app = testApp.app;

  account = await createAccount(app);
  secrets.push(
    account.password,
    account.accessToken,
    account.refreshToken,
    account.email,
  );

  // register_rejected: the same email again.
  await post('/api/auth/register', {
    email: account.email,
    password: 'another-password-1',
    name: 'Again',
  });
  secrets.push('another-password-1');

  // login_failed with each reason.
  await post('/api/auth/login', {
    email: account.email,
    password: 'wrong-password-1',
  });
  const unknownEmail = `nobody-${randomUUID()}@example.com`;
  await post('/api/auth/login', {
    email: unknownEmail,
    password: 'wrong-password-2',
  });
  secrets.push('wrong-password-1', 'wrong-password-2', unknownEmail);

  // token_reuse_detected: refresh twice with the same token.
  const rotated = await post('/api/auth/refresh', {
    refreshToken: account.refreshToken,
  });
  const rotatedTokens = rotated.json() as {
    accessToken: string;
    refreshToken: string;
  };
  secrets.push(rotatedTokens.accessToken, rotatedTokens.refreshToken);
  await post('/api/auth/refresh', { refreshToken: account.refreshToken });

  // token_rejected and access_denied.
  await app.inject({
    method: 'GET',
    url: '/api/auth/me',
    headers: { authorization: `Bearer ${account.accessToken}x` },
  });
  const customer = await createAccount(app);
  secrets.push(
    customer.password,
    customer.accessToken,
    customer.refreshToken,
    customer.email,
  );
  await app.inject({
    method: 'GET',
    url: '/test/admin-only',
    headers: { authorization: `Bearer ${customer.accessToken}` },
  });

  // password_changed, then logout.
  const newPassword = `new-${randomBytes(12).toString('hex')}`;
  secrets.push(newPassword);
  const changed = await post(
    '/api/auth/change-password',
    { currentPassword: customer.password, newPassword },
    { authorization: `Bearer ${customer.accessToken}` },
  );
  const changedTokens = changed.json() as {
    accessToken: string;
    refreshToken: string;
  };
  secrets.push(changedTokens.accessToken, changedTokens.refreshToken);
  await post('/api/auth/logout', { refreshToken: changedTokens.refreshToken });

  // rate_limit_exceeded: a fourth registration from one address.
  for (let attempt = 0; attempt < 4; attempt++) {
    await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      remoteAddress: '192.0.2.77',
      payload: {},
    });
  }

  // rate_limit_bypass_used.
  await app.inject({
    method: 'GET',
    url: '/api/products',
    headers: { 'x-load-test-bypass': BYPASS_TOKEN },
  });

  // account_locked: a sixth attempt for one email.
  const locked = await createAccount(app);
  secrets.push(
    locked.password,
    locked.accessToken,
    locked.refreshToken,
    locked.email,
  );
  for (let attempt = 0; attempt < 6; attempt++) {
    await post('/api/auth/login', {
      email: locked.email,
      password: `guess-${attempt}-xxxxxx`,
    });
  }

  await post(
    '/test/careless-log',
    { password: account.password, refreshToken: account.refreshToken },
    {
      authorization: `Bearer ${account.accessToken}`,
      cookie: `session=${account.refreshToken}`,
    },
  );
});

after(async () => {
  await testApp.close();
});

function firstEvent(name: string): LogLine {
  const line = testApp.logs.events(name)[0];
  assert.ok(line, `a ${name} event was logged`);

  return line;
}

describe('security events', () => {
  for (const name of SECURITY_EVENTS) {
    test(`security events - ${name} is logged`, () => {
      assert.ok(testApp.logs.events(name).length > 0, `${name} logged`);
    });

    test(`security events - ${name} has the common fields`, () => {
      const line = firstEvent(name);

      assert.equal(typeof line.requestId, 'string', 'requestId');
      assert.equal(typeof line.ip, 'string', 'ip');
      assert.match(
        String(line.timestamp),
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
      );
    });
  }

  test('security events - login_success names the user', () => {
    const line = firstEvent('login_success');

    assert.equal(line.userId, account.id);
    assert.match(String(line.email), MASKED_EMAIL);
  });

  test('security events - login_failed gives the reason', () => {
    const reasons = testApp.logs
      .events('login_failed')
      .map((line) => line.reason);

    assert.ok(reasons.includes('wrong_password'), 'wrong_password');
    assert.ok(reasons.includes('unknown_email'), 'unknown_email');
    assert.ok(reasons.includes('account_locked'), 'account_locked');
  });

  test('security events - account_locked masks the email', () => {
    assert.match(String(firstEvent('account_locked').email), MASKED_EMAIL);
  });

  test('security events - token_reuse_detected names the user', () => {
    assert.equal(firstEvent('token_reuse_detected').userId, account.id);
  });

  test('security events - rate_limit_exceeded names the policy', () => {
    assert.equal(firstEvent('rate_limit_exceeded').policy, 'register');
  });

  test('security events - access_denied names the user', () => {
    assert.equal(typeof firstEvent('access_denied').userId, 'string');
  });

  test('security events - failures are logged at warn', () => {
    assert.equal(firstEvent('login_failed').level, 40);
    assert.equal(firstEvent('token_rejected').level, 40);
  });
});

describe('log redaction', () => {
  test('log redaction - the run wrote log lines', () => {
    assert.ok(testApp.logs.raw.length > 50, `${testApp.logs.raw.length} lines`);
  });

  test('log redaction - no secret in any line', () => {
    for (const secret of secrets) {
      const leaks = testApp.logs.raw.filter((line) => line.includes(secret));

      assert.deepEqual(
        leaks,
        [],
        `secret of ${secret.length} characters leaked`,
      );
    }
  });

  test('log redaction - careless request log is redacted', () => {
    const line = testApp.logs.lines.find(
      (entry) => entry.msg === 'logged a whole request',
    );
    const headers = line?.headers as Record<string, unknown> | undefined;
    const body = line?.body as Record<string, unknown> | undefined;

    assert.equal(headers?.authorization, '[Redacted]');
    assert.equal(headers?.cookie, '[Redacted]');
    assert.equal(body?.password, '[Redacted]');
    assert.equal(body?.refreshToken, '[Redacted]');
  });
});
