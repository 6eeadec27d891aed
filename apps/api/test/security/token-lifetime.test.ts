import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';

import {
  createAccount,
  nextAddress,
  startSecurityApp,
  type SecurityTestApp,
  type TestAccount,
} from './support.js';

const TEN_YEARS_SECONDS = 10 * 365 * 24 * 3600;
const ONE_DAY_SECONDS = 24 * 3600;

let testApp: SecurityTestApp;
let app: FastifyInstance;
let account: TestAccount;

before(async () => {
  testApp = await startSecurityApp({ env: { BCRYPT_COST: '4' } });
  app = testApp.app;
  account = await createAccount(app);
});

after(async () => {
  await testApp.close();
});

/** Signs a token with the app's real secret and the given times, in epoch seconds. */
function signWithSecret(times: { iat: number; exp: number }): Promise<string> {
  const { secret, issuer, audience } = app.config.jwt;

  return new SignJWT({ role: 'customer' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(account.id)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(times.iat)
    .setExpirationTime(times.exp)
    .sign(new TextEncoder().encode(secret));
}

function me(token: string) {
  return app.inject({
    method: 'GET',
    url: '/api/auth/me',
    remoteAddress: nextAddress(),
    headers: { authorization: `Bearer ${token}` },
  });
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

describe('token lifetime', () => {
  test('token lifetime - token within the TTL is accepted', async () => {
    const issuedAt = now();
    const token = await signWithSecret({
      iat: issuedAt,
      exp: issuedAt + app.config.jwt.accessTokenTtlSeconds,
    });

    const response = await me(token);

    assert.equal(response.statusCode, 200);
  });

  test('token lifetime - ten-year exp is 401', async () => {
    const issuedAt = now();
    const token = await signWithSecret({
      iat: issuedAt,
      exp: issuedAt + TEN_YEARS_SECONDS,
    });
    const eventsBefore = testApp.logs.events('token_rejected').length;

    const response = await me(token);
    const events = testApp.logs.events('token_rejected').slice(eventsBefore);

    assert.equal(response.statusCode, 401);
    assert.equal(events.length, 1, 'one token_rejected event');
  });

  test('token lifetime - iat a day ahead is 401', async () => {
    const issuedAt = now() + ONE_DAY_SECONDS;
    const token = await signWithSecret({ iat: issuedAt, exp: issuedAt + 60 });
    const eventsBefore = testApp.logs.events('token_rejected').length;

    const response = await me(token);
    const events = testApp.logs.events('token_rejected').slice(eventsBefore);

    assert.equal(response.statusCode, 401);
    assert.equal(events.length, 1, 'one token_rejected event');
  });

  test('token lifetime - iat older than the TTL is 401', async () => {
    const ttl = app.config.jwt.accessTokenTtlSeconds;
    const issuedAt = now() - ttl - 60;
    // Not expired yet, but issued before the TTL allows.
    const token = await signWithSecret({ iat: issuedAt, exp: now() + 60 });

    const response = await me(token);

    assert.equal(response.statusCode, 401);
  });
});
