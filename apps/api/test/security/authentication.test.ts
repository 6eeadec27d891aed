import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { SignJWT } from 'jose';

import { LOGIN_ATTEMPTS_PER_ACCOUNT } from '../../src/modules/auth/login-throttle.js';
import {
  createAccount,
  nextAddress,
  startSecurityApp,
  type SecurityTestApp,
  type TestAccount,
} from './support.js';

const JWT_SECRET = randomBytes(48).toString('base64url');

let testApp: SecurityTestApp;
let app: FastifyInstance;

before(async () => {
  // One trusted hop lets each attempt come from its own client address,
  // so only the per-account limit is in play.
  testApp = await startSecurityApp({
    jwtSecret: JWT_SECRET,
    env: { BCRYPT_COST: '4', TRUST_PROXY_HOPS: '1' },
    plugins: [
      async (instance) => {
        instance.get(
          '/test/admin-only',
          { onRequest: [instance.authenticate, instance.requireAdmin] },
          async () => ({ ok: true }),
        );
      },
    ],
  });
  app = testApp.app;
});

after(async () => {
  await testApp.close();
});

function login(
  email: string,
  password: string,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: '10.2.0.1',
    headers: { 'x-forwarded-for': nextAddress() },
    payload: { email, password },
  });
}

describe('account lockout', () => {
  let account: TestAccount;

  before(async () => {
    account = await createAccount(app);
  });

  test('account lockout - correct password fails after five failures', async () => {
    for (let attempt = 0; attempt < LOGIN_ATTEMPTS_PER_ACCOUNT; attempt++) {
      const failed = await login(account.email, `wrong-password-${attempt}`);
      assert.equal(failed.statusCode, 401, `attempt ${attempt + 1}`);
    }
    const locked = await login(account.email, account.password);

    assert.equal(locked.statusCode, 429);
    assert.ok(Number(locked.headers['retry-after']) > 0, 'Retry-After');
    assert.equal(locked.json().error.code, 'RATE_LIMITED');
  });

  test('account lockout - one account_locked event', () => {
    const events = testApp.logs
      .events('account_locked')
      .filter((line) => line.email === `${account.email[0]}***@example.com`);

    assert.equal(events.length, 1);
  });

  test('account lockout - fifty parallel guesses reach bcrypt five times', async () => {
    const target = await createAccount(app);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        login(target.email, `guess-${index}-password`),
      ),
    );
    const compared = responses.filter(
      (response) => response.statusCode === 401,
    ).length;
    const limited = responses.filter(
      (response) => response.statusCode === 429,
    ).length;

    assert.equal(compared, LOGIN_ATTEMPTS_PER_ACCOUNT);
    assert.equal(limited, 50 - LOGIN_ATTEMPTS_PER_ACCOUNT);
  });

  test('account lockout - unknown email locks the same way', async () => {
    const email = `nobody-${randomUUID()}@example.com`;

    for (let attempt = 0; attempt < LOGIN_ATTEMPTS_PER_ACCOUNT; attempt++) {
      await login(email, 'wrong-password-x');
    }
    const sixth = await login(email, 'wrong-password-x');

    assert.equal(sixth.statusCode, 429);
  });

  test('account lockout - success clears the failures', async () => {
    const user = await createAccount(app);

    for (let attempt = 0; attempt < LOGIN_ATTEMPTS_PER_ACCOUNT - 1; attempt++) {
      await login(user.email, 'wrong-password-y');
    }
    await login(user.email, user.password);
    const codes: number[] = [];
    for (let attempt = 0; attempt < LOGIN_ATTEMPTS_PER_ACCOUNT - 1; attempt++) {
      codes.push((await login(user.email, 'wrong-password-z')).statusCode);
    }

    assert.ok(!codes.includes(429), `statuses ${codes.join(',')}`);
  });
});

describe('demoted admin', () => {
  test('demoted admin - old token loses admin access at once', async () => {
    const admin = await createAccount(app);
    await app.prisma.user.update({
      where: { id: admin.id },
      data: { role: 'admin' },
    });
    const signedIn = await login(admin.email, admin.password);
    const token = (signedIn.json() as { accessToken: string }).accessToken;
    const request = () =>
      app.inject({
        method: 'GET',
        url: '/test/admin-only',
        headers: { authorization: `Bearer ${token}` },
      });

    const beforeDemotion = await request();
    await app.prisma.user.update({
      where: { id: admin.id },
      data: { role: 'customer' },
    });
    const afterDemotion = await request();

    assert.equal(beforeDemotion.statusCode, 200);
    assert.equal(afterDemotion.statusCode, 403);
  });

  test('demoted admin - disabled admin is rejected', async () => {
    const admin = await createAccount(app);
    await app.prisma.user.update({
      where: { id: admin.id },
      data: { role: 'admin' },
    });
    const signedIn = await login(admin.email, admin.password);
    const token = (signedIn.json() as { accessToken: string }).accessToken;
    await app.prisma.user.update({
      where: { id: admin.id },
      data: { active: false },
    });

    const response = await app.inject({
      method: 'GET',
      url: '/test/admin-only',
      headers: { authorization: `Bearer ${token}` },
    });

    assert.equal(response.statusCode, 401);
  });
});

describe('token rejection', () => {
  const issuer = 'hardened-shop';
  const audience = 'hardened-shop-api';
  let userId: string;

  before(async () => {
    userId = (await createAccount(app)).id;
  });

  function claims(): SignJWT {
    return new SignJWT({ role: 'customer' })
      .setSubject(userId)
      .setIssuedAt()
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('5m');
  }

  function unsigned(): string {
    const encode = (value: object) =>
      Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      sub: userId,
      role: 'admin',
      iss: issuer,
      aud: audience,
      iat: now,
      exp: now + 300,
    };

    return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.`;
  }

  const secret = new TextEncoder().encode(JWT_SECRET);
  const forgeries: Record<string, () => Promise<string>> = {
    // A non-empty third part, so the header passes the Bearer pattern and
    // the token reaches the algorithm check.
    'alg none': async () => `${unsigned()}x`,
    'HS512 instead of HS256': () =>
      claims().setProtectedHeader({ alg: 'HS512' }).sign(secret),
    'wrong issuer': () =>
      claims()
        .setIssuer('someone-else')
        .setProtectedHeader({ alg: 'HS256' })
        .sign(secret),
    'wrong audience': () =>
      claims()
        .setAudience('another-api')
        .setProtectedHeader({ alg: 'HS256' })
        .sign(secret),
    expired: () =>
      claims()
        .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .setProtectedHeader({ alg: 'HS256' })
        .sign(secret),
    'bad signature': () =>
      claims()
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode(randomBytes(48).toString('base64url'))),
  };

  for (const [label, forge] of Object.entries(forgeries)) {
    test(`token rejection - ${label} is 401 with an event`, async () => {
      const token = await forge();
      const before = testApp.logs.events('token_rejected').length;
      const response = await app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { authorization: `Bearer ${token}` },
      });

      assert.equal(response.statusCode, 401);
      assert.equal(testApp.logs.events('token_rejected').length, before + 1);
    });
  }

  test('token rejection - valid token is accepted', async () => {
    const token = await claims()
      .setProtectedHeader({ alg: 'HS256' })
      .sign(secret);
    const response = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });

    assert.equal(response.statusCode, 200);
  });
});

describe('account lockout with the bypass token', () => {
  test('account lockout with the bypass token - parallel sign-ins pass', async () => {
    const token = randomBytes(32).toString('base64url');
    const loadTest = await startSecurityApp({
      env: { BCRYPT_COST: '4', RATE_LIMIT_BYPASS_TOKEN: token },
    });

    try {
      const user = await createAccount(loadTest.app);
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          loadTest.app.inject({
            method: 'POST',
            url: '/api/auth/login',
            headers: { 'x-load-test-bypass': token },
            payload: { email: user.email, password: user.password },
          }),
        ),
      );
      const signedIn = responses.filter(
        (response) => response.statusCode === 200,
      ).length;

      assert.equal(signedIn, 20);
    } finally {
      await loadTest.close();
    }
  });
});
