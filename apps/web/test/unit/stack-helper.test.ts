import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parseSeedAccounts } from '../helpers/stack.ts';

test('parseSeedAccounts - reads the table printed by the seed', () => {
  const output = [
    'Development accounts:',
    '  admin    admin@shop.test  Admin-password-123',
    '  customer customer@shop.test  Customer-password-456',
  ].join('\n');
  const accounts = parseSeedAccounts(output);
  assert.deepEqual(accounts.admin, {
    email: 'admin@shop.test',
    password: 'Admin-password-123',
  });
  assert.deepEqual(accounts.customer, {
    email: 'customer@shop.test',
    password: 'Customer-password-456',
  });
});

test('parseSeedAccounts - reads labelled passwords', () => {
  const accounts = parseSeedAccounts(
    'admin@shop.test password: "Long-secret-value-1"',
  );
  assert.equal(accounts.admin?.password, 'Long-secret-value-1');
  assert.equal(accounts.customer, undefined);
});
