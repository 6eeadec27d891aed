import assert from 'node:assert/strict';
import { test } from 'node:test';

import { z } from 'zod';

import { fieldErrors } from '../../src/lib/validation.ts';

const productForm = z.object({
  name: z.string().trim().min(1, 'Enter a name.'),
  stock: z.coerce.number().int('Enter a whole number.'),
  categoryId: z.string().min(1, 'Choose a category.'),
});

function errorsFor(values: Record<string, unknown>): Record<string, string> {
  const parsed = productForm.safeParse(values);
  assert.equal(parsed.success, false, 'the form must be invalid');
  return parsed.success ? {} : fieldErrors(parsed.error);
}

test('fieldErrors - missing field gets a plain message', () => {
  const errors = errorsFor({ name: 'Lamp', stock: '3' });

  assert.equal(errors.categoryId, 'This field is required.');
  assert.ok(!('name' in errors), 'name is valid');
});

test('fieldErrors - keeps the schema message', () => {
  const errors = errorsFor({ name: ' ', stock: '3', categoryId: '' });

  assert.equal(errors.name, 'Enter a name.');
  assert.equal(errors.categoryId, 'Choose a category.');
});

test('fieldErrors - non-numeric value is no missing field', () => {
  const errors = errorsFor({ name: 'Lamp', stock: 'abc', categoryId: 'c1' });

  assert.notEqual(errors.stock, 'This field is required.');
  assert.ok(errors.stock, 'stock has a message');
});
