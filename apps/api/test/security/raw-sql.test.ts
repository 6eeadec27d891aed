import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const apiRoot = fileURLToPath(new URL('../../', import.meta.url));

// Code that runs in production or against a production database. The
// generated Prisma client is excluded: it defines these methods.
const SCANNED_FOLDERS = ['src', 'prisma', 'scripts'];
const SKIPPED_FOLDERS = new Set(['generated', 'node_modules', 'migrations']);

// The Unsafe methods take SQL as a plain string, and Prisma.raw splices a
// string into a tagged query, so each one allows SQL built by
// concatenation. The tagged $queryRaw`...` and $executeRaw`...` bind every
// interpolated value as a parameter and stay allowed.
const FORBIDDEN = /\$queryRawUnsafe|\$executeRawUnsafe|Prisma\.raw\s*\(/;

function sourceFiles(folder: string): string[] {
  const files: string[] = [];

  for (const entry of readdirSync(folder)) {
    const path = join(folder, entry);

    if (statSync(path).isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry)) {
        files.push(...sourceFiles(path));
      }
    } else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(entry)) {
      files.push(path);
    }
  }

  return files;
}

function scannedFiles(): string[] {
  return SCANNED_FOLDERS.flatMap((folder) => {
    const path = join(apiRoot, folder);

    try {
      return sourceFiles(path);
    } catch {
      return [];
    }
  });
}

test('raw sql scan - pattern matches every unsafe call', () => {
  const samples = [
    'prisma.$queryRawUnsafe(`SELECT * FROM users WHERE id = ${id}`)',
    'tx.$executeRawUnsafe(sql)',
    'prisma.$queryRaw`SELECT ${Prisma.raw(column)}`',
  ];

  for (const sample of samples) {
    assert.match(sample, FORBIDDEN);
  }
});

test('raw sql scan - tagged queries stay allowed', () => {
  assert.doesNotMatch('prisma.$queryRaw`SELECT ${id}`', FORBIDDEN);
});

test('raw sql scan - reads the api source', () => {
  const files = scannedFiles().map((file) => relative(apiRoot, file));

  assert.ok(files.includes(join('src', 'app.ts')), 'src/app.ts is scanned');
  assert.ok(files.length > 20, `${files.length} files scanned`);
});

test('raw sql scan - no unsafe raw query in the source', () => {
  const offenders = scannedFiles()
    .filter((file) => FORBIDDEN.test(readFileSync(file, 'utf8')))
    .map((file) => relative(apiRoot, file));

  assert.deepEqual(offenders, []);
});
