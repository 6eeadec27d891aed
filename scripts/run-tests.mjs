#!/usr/bin/env node
// Runs the `*.test.ts` files under the given folders with Node's own test
// runner. Node 20 has no glob support in `--test`, so the files are listed
// here. Usage: node scripts/run-tests.mjs DIR [DIR ...] [-- NODE_TEST_ARGS]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findTestFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...findTestFiles(path));
    else if (/\.test\.tsx?$/.test(entry)) files.push(path);
  }
  return files.sort();
}

const separator = process.argv.indexOf('--');
const dirs = process.argv.slice(2, separator === -1 ? undefined : separator);
const extraArgs = separator === -1 ? [] : process.argv.slice(separator + 1);
const files = dirs.flatMap(findTestFiles);

if (files.length === 0) {
  console.error(`No *.test.ts files found under: ${dirs.join(', ')}`);
  process.exit(1);
}

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', ...extraArgs, ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
