import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';

import {
  buildTestApp,
  createUser,
  type CreatedUser,
  type TestApp,
} from '../helpers/app.js';

// Routes that exist only in this test: one for any signed-in user and one
// for administrators.
async function protectedRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/test/signed-in',
    { onRequest: [app.authenticate] },
    async (request) => ({
      userId: request.user.id,
    }),
  );
  app.get(
    '/test/admin-only',
    { onRequest: [app.authenticate, app.requireAdmin] },
    async (request) => ({ role: request.user.role }),
  );
}

let testApp: TestApp;
let customer: CreatedUser;

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function callWithToken(url: string, token: string) {
  return testApp.app.inject({
    method: 'GET',
    url,
    headers: { authorization: `Bearer ${token}` },
  });
}

// Signs claims like the API does, with parts replaced per test case.
async function forgeToken(
  options: {
    secret?: string;
    algorithm?: 'HS256' | 'HS384' | 'HS512';
    issuer?: string;
    audience?: string;
    expiresAt?: number;
    role?: string;
  } = {},
): Promise<string> {
  const { jwt } = testApp.app.config;
  const now = Math.floor(Date.now() / 1000);

  return new SignJWT({ role: options.role ?? 'customer' })
    .setProtectedHeader({ alg: options.algorithm ?? 'HS256' })
    .setSubject(customer.id)
    .setIssuer(options.issuer ?? jwt.issuer)
    .setAudience(options.audience ?? jwt.audience)
    .setIssuedAt(now - 60)
    .setExpirationTime(options.expiresAt ?? now + 300)
    .sign(new TextEncoder().encode(options.secret ?? jwt.secret));
}

before(async () => {
  testApp = await buildTestApp({}, { plugins: [protectedRoutes] });
  customer = await createUser(testApp.app);
});
after(async () => {
  await testApp.close();
});

describe('authenticate', () => {
  test('authenticate - valid token accepted', async () => {
    const response = await callWithToken(
      '/test/signed-in',
      customer.accessToken,
    );

    assert.equal(response.statusCode, 200);
    assert.equal(response.json().userId, customer.id);
  });

  test('authenticate - forged token is 401', async () => {
    const { jwt } = testApp.app.config;
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      sub: customer.id,
      role: 'admin',
      iss: jwt.issuer,
      aud: jwt.audience,
      iat: now,
      exp: now + 300,
    };
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
    });
    const publicPem = publicKey
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const [header, payload, signature] = customer.accessToken.split('.');

    const cases: [string, Promise<string> | string][] = [
      [
        'alg none',
        `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`,
      ],
      ['HS512 with the real secret', forgeToken({ algorithm: 'HS512' })],
      [
        'RS256 signed by another key',
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256' })
          .sign(privateKey),
      ],
      // Key confusion: a public key used as an HMAC secret.
      ['HS256 with a public key as secret', forgeToken({ secret: publicPem })],
      ['wrong issuer', forgeToken({ issuer: 'https://attacker.example' })],
      ['wrong audience', forgeToken({ audience: 'another-api' })],
      [
        'expired',
        forgeToken({ expiresAt: Math.floor(Date.now() / 1000) - 120 }),
      ],
      ['another secret', forgeToken({ secret: 'x'.repeat(48) })],
      [
        'tampered payload',
        `${header}.${base64url({ ...claims, role: 'admin' })}.${signature}`,
      ],
      [
        'bad signature',
        `${header}.${payload}.${'A'.repeat(signature?.length ?? 43)}`,
      ],
      ['unknown role', forgeToken({ role: 'superuser' })],
    ];

    for (const [name, token] of cases) {
      const response = await callWithToken('/test/signed-in', await token);
      assert.equal(response.statusCode, 401, name);
      assert.equal(response.json().error.code, 'UNAUTHENTICATED', name);
      assert.equal(
        response.headers['www-authenticate'],
        'Bearer realm="api", error="invalid_token"',
        name,
      );
    }
  });

  test('authenticate - malformed headers are 401', async () => {
    const headers = [
      `Basic ${Buffer.from('a:b').toString('base64')}`,
      'Bearer',
      `Bearer ${customer.accessToken} extra`,
      `Token ${customer.accessToken}`,
      `Bearer ${'a'.repeat(5000)}.b.c`,
    ];

    for (const authorization of headers) {
      const response = await testApp.app.inject({
        method: 'GET',
        url: '/test/signed-in',
        headers: { authorization },
      });
      assert.equal(response.statusCode, 401, authorization.slice(0, 40));
    }
  });

  test('authenticate - token lifetime at most 15 minutes', async () => {
    const [, payload] = customer.accessToken.split('.');
    const claims = JSON.parse(
      Buffer.from(payload ?? '', 'base64url').toString(),
    ) as {
      iat: number;
      exp: number;
    };

    assert.ok(claims.exp - claims.iat <= 900);
  });
});

describe('requireAdmin', () => {
  test('requireAdmin - admin allowed', async () => {
    const admin = await createUser(testApp.app, { role: 'admin' });
    const response = await callWithToken('/test/admin-only', admin.accessToken);

    assert.equal(response.statusCode, 200);
    assert.equal(response.json().role, 'admin');
  });

  test('requireAdmin - customer is 403', async () => {
    const response = await callWithToken(
      '/test/admin-only',
      customer.accessToken,
    );

    assert.equal(response.statusCode, 403);
    assert.equal(response.json().error.code, 'FORBIDDEN');
  });

  test('requireAdmin - customer with admin claim is 403', async () => {
    // A token with the role claim `admin`, for example one issued before a
    // demotion, does not grant admin access on its own.
    const token = await forgeToken({ role: 'admin' });
    const response = await callWithToken('/test/admin-only', token);

    assert.equal(response.statusCode, 403);
  });

  test('requireAdmin - demoted admin loses access at once', async () => {
    const admin = await createUser(testApp.app, { role: 'admin' });
    const beforeDemotion = await callWithToken(
      '/test/admin-only',
      admin.accessToken,
    );
    await testApp.prisma.user.update({
      where: { id: admin.id },
      data: { role: 'customer' },
    });
    const afterDemotion = await callWithToken(
      '/test/admin-only',
      admin.accessToken,
    );

    assert.equal(beforeDemotion.statusCode, 200);
    assert.equal(afterDemotion.statusCode, 403);
  });

  test('requireAdmin - disabled admin is 401', async () => {
    const admin = await createUser(testApp.app, { role: 'admin' });
    await testApp.prisma.user.update({
      where: { id: admin.id },
      data: { active: false },
    });
    const response = await callWithToken('/test/admin-only', admin.accessToken);

    assert.equal(response.statusCode, 401);
  });

  test('requireAdmin - 401 without token', async () => {
    const response = await testApp.app.inject({
      method: 'GET',
      url: '/test/admin-only',
    });

    assert.equal(response.statusCode, 401);
  });
});
