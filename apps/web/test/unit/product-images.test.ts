import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { PRODUCT_IMAGES } from '../../src/lib/product-images.ts';

const API_IMAGE_DIR = fileURLToPath(
  new URL('../../../api/assets/products/', import.meta.url),
);

test('product images - list matches the API folder', () => {
  const shipped = readdirSync(API_IMAGE_DIR)
    .filter((name) => name.endsWith('.svg'))
    .sort();
  assert.deepEqual([...PRODUCT_IMAGES].sort(), shipped);
});
