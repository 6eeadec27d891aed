// Every page of the storefront is rendered per request (nonce CSP, session
// header), so a prefetching <Link> renders the target page on the server and
// calls the API for it. A product list with default prefetching spends a
// dozen API requests of the shopper's rate-limit budget without a click.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

import { WEB_DIR } from '../helpers/stack.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.tsx') ? [path] : [];
  });
}

test('Link - every link turns prefetching off', () => {
  const files = sourceFiles(join(WEB_DIR, 'src'));
  let links = 0;

  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    // The props of each <Link ...> element, up to the closing ">".
    for (const match of source.matchAll(/<Link\b([^>]*)>/g)) {
      links += 1;
      assert.match(
        match[1] ?? '',
        /prefetch=\{false\}/,
        `${relative(WEB_DIR, file)}: <Link${match[1]}> prefetches`,
      );
    }
  }

  assert.ok(links > 10, `found only ${links} links`);
});
