#!/usr/bin/env node
// `npm run scan`: proves on the vulnerable fixture that the scanners catch
// what they claim to, then builds and starts the shop on 127.0.0.1 and
// scans it with wapiti, sqlmap, the passive checks and npm audit. Writes
// security/report.md and security/report.json, and exits 1 on any medium
// or higher finding or on a scanner that could not run.
//
// Options: --self-test-only, --skip-self-test, --no-build (reuse the builds).
// Environment: DATABASE_URL (a PostgreSQL server on which the scan may
// create and drop its own databases), REDIS_URL, SCAN_API_PORT,
// SCAN_WEB_PORT, SCAN_WAPITI_CRAWL_SECONDS,
// SCAN_WAPITI_ATTACK_SECONDS, SCAN_SQLMAP_PROCESSES,
// SCAN_SQLMAP_LEVEL, SCAN_SQLMAP_RISK.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScanPipeline } from './lib/pipeline.mjs';
import { writeSummary } from './lib/report.mjs';
import { killActiveProcesses, runProcess } from './lib/run-process.mjs';
import { findFreePort, startShopStack } from './lib/shop-stack.mjs';
import { shopProfile } from './lib/shop-profile.mjs';
import { runSelfTest } from './self-test.mjs';

const securityDir = fileURLToPath(new URL('.', import.meta.url));
const root = join(securityDir, '..');
const options = new Set(process.argv.slice(2));
const adminUrl =
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function log(message) {
  console.log(`[scan ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

async function requireTools() {
  const missing = [];
  for (const tool of ['wapiti', 'sqlmap', 'python3']) {
    const result = await runProcess('sh', ['-c', `command -v ${tool}`]).catch(
      () => ({ code: 1 }),
    );
    if (result.code !== 0) missing.push(tool);
  }
  if (missing.length > 0) {
    throw new Error(
      `Missing scanners: ${missing.join(', ')}. Install them with: apt-get install -y wapiti sqlmap`,
    );
  }
}

async function selfTest(workDir) {
  log('self-test: scanning the deliberately vulnerable fixture');
  const port = await findFreePort(8140, 8149);
  const { summary, checks } = await runSelfTest({
    adminUrl,
    port,
    log: (message) => log(`self-test: ${message}`),
  });
  await writeSummary(summary, join(workDir, 'self-test'));
  for (const check of checks)
    log(`self-test: ${check.ok ? 'ok  ' : 'FAIL'} ${check.name}`);
  return checks.every((check) => check.ok);
}

// The scanners may submit the storefront's sign-out form, which revokes the
// refresh token. The notes record whether the scan stayed signed in to the end.
async function sessionNotes(stack) {
  const response = await fetch(`${stack.apiUrl}/api/auth/me`, {
    headers: {
      authorization: `Bearer ${stack.customer.accessToken}`,
      ...stack.bypassHeaders,
    },
  }).catch((error) => ({ status: `failed (${error.message})` }));
  return [
    `Scan customer ${stack.customer.email}: GET /api/auth/me after the scan returned ${response.status}, so the scanners ${response.status === 200 ? 'stayed signed in to the end' : 'may have lost the session part way'}.`,
    stack.admin
      ? 'The admin endpoints were attacked with a seeded admin account.'
      : 'No seeded admin account was found, so the admin endpoints were not attacked.',
  ];
}

async function scanShop(workDir) {
  const stack = await startShopStack({
    root,
    workDir,
    adminUrl,
    redisUrl,
    build: !options.has('--no-build'),
    log,
  });
  let stopping = false;
  const stopOnSignal = async (signal) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received: stopping the scanners and the stack`);
    killActiveProcesses();
    await stack.stop().catch(() => {});
    process.exit(130);
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  try {
    log(
      `stack ready: storefront ${stack.webUrl}, API ${stack.apiUrl}, customer ${stack.customer.email}${stack.admin ? ', admin signed in' : ', no admin account'}`,
    );
    const summary = await runScanPipeline(
      shopProfile(stack, { root, log }),
      workDir,
    );
    summary.notes = await sessionNotes(stack);
    return summary;
  } finally {
    log('stopping the stack and dropping the scan database');
    await stack.stop();
  }
}

async function main() {
  await requireTools();
  const workDir = join(
    securityDir,
    'out',
    new Date().toISOString().replace(/[:.]/g, '-'),
  );
  await mkdir(workDir, { recursive: true });
  log(`scanner logs go to ${workDir}`);

  if (!options.has('--skip-self-test')) {
    if (!(await selfTest(workDir))) {
      log(
        'self-test failed: the scanners missed a planted flaw, so their verdict on the shop would not count',
      );
      return 1;
    }
    if (options.has('--self-test-only')) return 0;
  }

  const summary = await scanShop(workDir);
  const paths = await writeSummary(summary, join(securityDir, 'report'));
  const { high, medium, low, info } = summary.counts;
  log(
    `${summary.passed ? 'passed' : 'FAILED'}: ${high} high, ${medium} medium, ${low} low, ${info} info findings; report in ${paths.markdown}`,
  );
  for (const reason of summary.failReasons) log(`  ${reason}`);
  for (const reason of summary.notRun) log(`  not checked: ${reason}`);
  return summary.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    killActiveProcesses();
    console.error(`[scan] failed: ${error.message}`);
    process.exit(1);
  },
);
