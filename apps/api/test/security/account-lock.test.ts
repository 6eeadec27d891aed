import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

import {
  createAccount,
  nextAddress,
  startSecurityApp,
  type SecurityTestApp,
  type TestAccount,
} from './support.js';

let testApp: SecurityTestApp;
let app: FastifyInstance;

before(async () => {
  testApp = await startSecurityApp({ env: { BCRYPT_COST: '4' } });
  app = testApp.app;
});

after(async () => {
  await testApp.close();
});

function changePassword(
  account: TestAccount,
  currentPassword: string,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/api/auth/change-password',
    remoteAddress: nextAddress(),
    headers: { authorization: `Bearer ${account.accessToken}` },
    payload: { currentPassword, newPassword: 'a-new-password-123' },
  });
}

function login(
  email: string,
  password: string,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: nextAddress(),
    payload: { email, password },
  });
}

async function failChangePassword(
  account: TestAccount,
  times: number,
): Promise<number[]> {
  const codes: number[] = [];
  for (let attempt = 0; attempt < times; attempt++) {
    codes.push(
      (await changePassword(account, `wrong-password-${attempt}`)).statusCode,
    );
  }
  return codes;
}

describe('change-password lock', () => {
  test('change-password lock - five wrong passwords are 403', async () => {
    const account = await createAccount(app);

    const codes = await failChangePassword(account, 5);

    assert.deepEqual(codes, [403, 403, 403, 403, 403]);
  });

  test('change-password lock - sixth attempt is 429', async () => {
    const account = await createAccount(app);
    await failChangePassword(account, 5);

    const response = await changePassword(account, 'wrong-password-6');

    assert.equal(response.statusCode, 429);
    assert.equal(response.json().error.code, 'RATE_LIMITED');
    assert.match(String(response.headers['retry-after']), /^\d+$/);
  });

  test('change-password lock - correct password is rejected while locked', async () => {
    const account = await createAccount(app);
    await failChangePassword(account, 5);

    const response = await changePassword(account, account.password);
    const stillOld = await login(account.email, account.password);

    assert.equal(response.statusCode, 429);
    assert.equal(stillOld.statusCode, 429, 'login shares the account lock');
  });

  test('change-password lock - success clears the failures', async () => {
    const account = await createAccount(app);
    await failChangePassword(account, 4);

    const changed = await changePassword(account, account.password);
    const nextAccessToken = changed.json<{ accessToken: string }>().accessToken;
    const laterCodes = await failChangePassword(
      { ...account, accessToken: nextAccessToken },
      4,
    );

    assert.equal(changed.statusCode, 200);
    assert.deepEqual(laterCodes, [403, 403, 403, 403]);
  });

  test('change-password lock - failed sign-ins count too', async () => {
    const account = await createAccount(app);
    for (let attempt = 0; attempt < 5; attempt++) {
      await login(account.email, `wrong-password-${attempt}`);
    }

    const response = await changePassword(account, 'wrong-password-6');

    assert.equal(response.statusCode, 429);
  });
});

describe('account lock headers', () => {
  test('account lock headers - login 429 reports nothing remaining', async () => {
    const account = await createAccount(app);
    for (let attempt = 0; attempt < 5; attempt++) {
      await login(account.email, `wrong-password-${attempt}`);
    }

    // A fresh address: its own login budget still has requests left.
    const response = await login(account.email, account.password);

    assert.equal(response.statusCode, 429);
    assert.equal(response.headers['ratelimit-remaining'], '0');
    assert.equal(response.headers['ratelimit-limit'], '5');
    assert.equal(
      response.headers['ratelimit-reset'],
      response.headers['retry-after'],
    );
  });

  test('account lock headers - change-password 429 reports nothing remaining', async () => {
    const account = await createAccount(app);
    await failChangePassword(account, 5);

    const response = await changePassword(account, 'wrong-password-6');

    assert.equal(response.statusCode, 429);
    assert.equal(response.headers['ratelimit-remaining'], '0');
    assert.equal(
      response.headers['ratelimit-reset'],
      response.headers['retry-after'],
    );
  });
});
