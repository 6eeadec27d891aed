import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { FastifyInstance } from 'fastify';

import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { buildTestApp } from '../helpers/app.js';
import {
  createShopper,
  send,
  type Shopper,
} from '../modules/orders/helpers.js';

let app: FastifyInstance;
let prisma: PrismaClient;
let close: () => Promise<void>;
let active: Shopper;
let disabled: Shopper;

before(async () => {
  ({ app, prisma, close } = await buildTestApp());
  active = await createShopper(app);
  disabled = await createShopper(app);
  await prisma.user.update({
    where: { id: disabled.id },
    data: { active: false },
  });
});

after(async () => {
  await close();
});

describe('disabled account', () => {
  for (const url of ['/api/cart', '/api/orders']) {
    test(`disabled account - GET ${url} is 401`, async () => {
      const response = await send(app, disabled, { method: 'GET', url });

      assert.equal(response.statusCode, 401);
      assert.equal(response.json().error.code, 'UNAUTHENTICATED');
    });

    test(`disabled account - active account still reads ${url}`, async () => {
      const response = await send(app, active, { method: 'GET', url });

      assert.equal(response.statusCode, 200);
    });
  }

  test('disabled account - cart changes are 401', async () => {
    const response = await send(app, disabled, {
      method: 'DELETE',
      url: '/api/cart',
    });

    assert.equal(response.statusCode, 401);
  });

  test('disabled account - deleted account is 401', async () => {
    const gone = await createShopper(app);
    await prisma.user.delete({ where: { id: gone.id } });

    const response = await send(app, gone, {
      method: 'GET',
      url: '/api/orders',
    });

    assert.equal(response.statusCode, 401);
  });
});
