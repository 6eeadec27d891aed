// API benchmark, run with `npm run bench [-- OPTIONS]`.
//
// Builds the API, seeds a fresh database on the PostgreSQL in DATABASE_URL,
// measures a bare Fastify ceiling and bcrypt's capacity on this machine,
// loads four API scenarios with autocannon and writes the "## API"
// section of docs/benchmarks.md. Everything it starts or creates (server
// processes, the bench_<random> database, Redis keys under its prefix) is
// removed at the end, also when a step fails or on Ctrl-C.
//
// Options:
//   --seconds=N    measured seconds per scenario (default 10, login twice that)
//   --warmup=N     seconds of unmeasured load before each scenario (default 3)
//   --skip-build   use the existing apps/api/dist
//   --no-write     print the report section instead of writing the docs file
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { Redis } from 'ioredis';
import pg from 'pg';

import {
  createDatabase,
  databaseUrlFor,
  deleteRedisKeys,
  dropDatabase,
  listBackendPids,
  migrateAndSeed,
} from './lib/database.mjs';
import { runLoad } from './lib/load.mjs';
import {
  cpuUseBetween,
  readMemory,
  startMemorySampler,
  startNodeProcess,
  stopProcess,
  takeCpuSnapshot,
  waitForHttp,
  waitForIdle,
} from './lib/processes.mjs';
import { renderApiSection, writeApiSection } from './lib/report.mjs';
import {
  apiScenarios,
  discoverCatalog,
  registerAccounts,
} from './lib/scenarios.mjs';
import { CONNECTIONS } from './lib/targets.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = `${root}bench/out`;

// Ports 4400-4449 are reserved for the benchmark.
const CEILING_PORT = 4400;
const API_PORT = 4401;
const BYPASS_HEADER = 'x-load-test-bypass';
const DATABASE_POOL_SIZE = 10;
const LOG_LEVEL = 'info';
// Seconds between the API becoming idle after the last scenario and the
// final memory reading.
const MEMORY_SETTLE_SECONDS = 2;

const { values: options } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    'skip-build': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
});
const seconds = Number(options.seconds);
const warmupSeconds = Number(options.warmup);
if (!(seconds >= 1) || !(warmupSeconds >= 0)) {
  throw new Error(
    `Invalid --seconds=${options.seconds} or --warmup=${options.warmup}: expected seconds >= 1 and warm-up >= 0.`,
  );
}

const serverUrl =
  process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const runId = randomBytes(6).toString('hex');
const databaseName = `bench_${runId}`;
const redisPrefix = `bench:${runId}:`;

// Cleanup steps run in reverse order of registration, once.
const cleanups = [];
let cleaning = null;
function cleanup() {
  cleaning ??= (async () => {
    for (const step of cleanups.reverse()) {
      try {
        await step.run();
      } catch (err) {
        process.stderr.write(`Cleanup failed: ${step.name}: ${err.message}\n`);
      }
    }
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    process.stderr.write(
      `\n${signal}: stopping the servers and dropping ${databaseName}\n`,
    );
    cleanup().finally(() => process.exit(130));
  });
}

function log(message) {
  process.stdout.write(`[bench] ${message}\n`);
}

function assertPortFree(port) {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', () =>
      reject(
        new Error(
          `Port ${port} on 127.0.0.1 is in use; the benchmark needs ports ${CEILING_PORT} and ${API_PORT}.`,
        ),
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(resolve));
  });
}

async function describeMachine() {
  const cpuModel =
    /^model name\s*:\s*(.+)$/m.exec(
      readFileSync('/proc/cpuinfo', 'utf8'),
    )?.[1] ?? 'unknown CPU';

  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  const postgres = (await client.query('SHOW server_version')).rows[0]
    .server_version;
  await client.end();

  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  await redis.connect();
  const redisVersion =
    /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
  redis.disconnect();

  const autocannonPackage = JSON.parse(
    readFileSync(`${root}node_modules/autocannon/package.json`, 'utf8'),
  );
  return {
    cores: os.availableParallelism(),
    cpuModel,
    memoryBytes: os.totalmem(),
    loadAverage: os
      .loadavg()
      .map((value) => value.toFixed(2))
      .join(' / '),
    node: process.version,
    postgres: `PostgreSQL ${postgres}`,
    redis: redisVersion,
    autocannon: autocannonPackage.version,
  };
}

function buildApi() {
  log('building the API (npm run build -w apps/api)');
  const build = spawnSync('npm', ['run', 'build', '-w', 'apps/api'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0)
    throw new Error(
      `npm run build -w apps/api failed with exit code ${build.status}.`,
    );
}

function measureBcrypt(cost) {
  log(`measuring bcrypt.compare capacity at cost ${cost}`);
  const output = execFileSync(
    process.execPath,
    [`${root}bench/bcrypt-capacity.mjs`, String(cost), '10'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  return JSON.parse(output);
}

/**
 * Returns the measured seconds of the login scenario. The API signs its
 * tokens with jose, whose HMAC runs on the libuv pool behind every queued
 * bcrypt compare, so logins complete in bursts about CONNECTIONS /
 * capacity seconds apart. The run covers three bursts, or twice the
 * normal duration when that is longer, and at most 180 s.
 */
function loginDuration(comparesPerSecond) {
  const burstSeconds = CONNECTIONS / comparesPerSecond;
  return Math.min(180, Math.max(seconds * 2, Math.ceil(3 * burstSeconds)));
}

/**
 * Runs one scenario: a warm-up run whose figures are dropped, then the
 * measured run with CPU and memory sampled around it.
 */
async function measureScenario({
  baseUrl,
  serverPid,
  serverLog,
  headers,
  requestsForClient,
  warmup = true,
  measuredSeconds = seconds,
}) {
  const load = {
    baseUrl,
    connections: CONNECTIONS,
    headers,
    requestsForClient,
  };
  if (warmup && warmupSeconds > 0)
    await runLoad({ ...load, seconds: warmupSeconds });

  // Backends of the bench database only: other work on the same
  // PostgreSQL server shows up under "other". Redis has one process for
  // every client, so its whole CPU use is counted.
  const groups = {
    server: [serverPid],
    postgres: await listBackendPids(serverUrl, databaseName),
    redis: 'redis-server',
  };
  const memory = startMemorySampler(serverPid);
  const logBytesBefore = statSync(serverLog).size;
  const before = takeCpuSnapshot(groups);
  const result = await runLoad({ ...load, seconds: measuredSeconds });
  const after = takeCpuSnapshot(groups);
  const logBytes = statSync(serverLog).size - logBytesBefore;
  const peakRss = memory.take();
  memory.stop();
  return {
    result,
    peakRss,
    cpu: cpuUseBetween(before, after),
    logBytesPerRequest: result.requests > 0 ? logBytes / result.requests : 0,
  };
}

async function measureCeiling() {
  await assertPortFree(CEILING_PORT);
  const logFile = `${outDir}/ceiling.log`;
  const child = startNodeProcess(`${root}bench/hello-server.mjs`, {
    args: [String(CEILING_PORT)],
    cwd: root,
    logFile,
  });
  const step = {
    name: 'stop the ceiling server',
    run: () => stopProcess(child),
  };
  cleanups.push(step);

  const baseUrl = `http://127.0.0.1:${CEILING_PORT}`;
  await waitForHttp(`${baseUrl}/`, child, { logFile });
  log('ceiling: bare Fastify hello world');
  const measured = await measureScenario({
    baseUrl,
    serverPid: child.pid,
    serverLog: logFile,
    headers: {},
    requestsForClient: () => [{ method: 'GET', path: '/' }],
  });
  await stopProcess(child);
  return measured;
}

async function startApi(databaseUrl, bypassToken) {
  await assertPortFree(API_PORT);
  const logFile = `${outDir}/api.log`;
  const child = startNodeProcess(`${root}apps/api/dist/server.js`, {
    cwd: root,
    logFile,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(API_PORT),
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: String(DATABASE_POOL_SIZE),
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: redisPrefix,
      JWT_SECRET: randomBytes(48).toString('base64url'),
      RATE_LIMIT_BYPASS_TOKEN: bypassToken,
      LOG_LEVEL,
    },
  });
  cleanups.push({ name: 'stop the API', run: () => stopProcess(child) });
  await waitForHttp(`http://127.0.0.1:${API_PORT}/ready`, child, {
    logFile,
    timeoutMs: 60_000,
  });
  return { child, logFile };
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  const machine = await describeMachine();
  log(
    `${machine.cores} cores, ${machine.cpuModel}, Node ${machine.node}, load average ${machine.loadAverage}`,
  );

  if (!options['skip-build']) buildApi();

  log(`creating database ${databaseName}`);
  await createDatabase(serverUrl, databaseName);
  cleanups.push({
    name: `drop database ${databaseName}`,
    run: () => dropDatabase(serverUrl, databaseName),
  });
  cleanups.push({
    name: `delete Redis keys ${redisPrefix}*`,
    run: () => deleteRedisKeys(redisUrl, redisPrefix),
  });
  const databaseUrl = databaseUrlFor(serverUrl, databaseName);
  const seed = await migrateAndSeed(`${root}apps/api/dist`, databaseUrl);
  log(`seeded ${seed.products} products in ${seed.categories} categories`);

  const bcrypt = measureBcrypt(12);
  const loginSeconds = loginDuration(bcrypt.comparesPerSecond);
  log(`bcrypt: ${bcrypt.comparesPerSecond.toFixed(2)} compares/s`);

  const ceiling = await measureCeiling();
  log(`ceiling: ${ceiling.result.requestsPerSecond.toFixed(0)} req/s`);

  const bypassToken = randomBytes(32).toString('base64url');
  const api = await startApi(databaseUrl, bypassToken);
  const rssAtStart = readMemory(api.child.pid).rss;
  const baseUrl = `http://127.0.0.1:${API_PORT}`;
  const headers = { [BYPASS_HEADER]: bypassToken };
  const catalog = await discoverCatalog(baseUrl, headers);
  const accounts = await registerAccounts(baseUrl, headers, CONNECTIONS, runId);
  log(
    `${catalog.slugs.length} slugs, search terms ${catalog.terms.join(', ')}, ${accounts.length} accounts`,
  );

  const scenarios = [];
  for (const scenario of apiScenarios({
    catalog,
    accounts,
    baseUrl,
    headers,
    loginSeconds,
  })) {
    log(`scenario: ${scenario.title}`);
    await scenario.prepare?.();
    const measured = await measureScenario({
      baseUrl,
      serverPid: api.child.pid,
      serverLog: api.logFile,
      headers,
      requestsForClient: scenario.requestsForClient,
      warmup: scenario.warmup,
      measuredSeconds: scenario.measuredSeconds,
    });
    const { result } = measured;
    log(
      `  ${result.requestsPerSecond.toFixed(1)} req/s, p50 ${result.latencyP50} ms, p99 ${result.latencyP99} ms, ` +
        `${result.non2xx} non-2xx, ${result.errors} errors`,
    );
    const { name, title, request } = scenario;
    scenarios.push({ name, title, request, ...measured });
  }

  // autocannon drops the requests still in flight when it stops, but the
  // API finishes them (queued logins take tens of seconds), so memory is read once
  // the API is idle.
  const idleAfterSeconds = await waitForIdle(api.child.pid, {
    timeoutMs: 120_000,
  });
  await delay(MEMORY_SETTLE_SECONDS * 1000);
  const finalMemory = readMemory(api.child.pid);
  const memory = {
    rssAtStart,
    rssAfter: finalMemory.rss,
    hwm: finalMemory.hwm,
    idleAfterSeconds,
    settleSeconds: MEMORY_SETTLE_SECONDS,
  };
  log(
    `API RSS after the run ${(memory.rssAfter / 1048576).toFixed(1)} MB, peak ${(memory.hwm / 1048576).toFixed(1)} MB`,
  );

  const argv = process.argv.slice(2);
  const run = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    command: `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`,
    machine,
    settings: {
      seconds,
      loginSeconds,
      warmupSeconds,
      databasePoolSize: DATABASE_POOL_SIZE,
      logLevel: LOG_LEVEL,
    },
    seed,
    accounts: accounts.length,
    bcrypt,
    ceiling,
    scenarios,
    memory,
  };
  writeFileSync(`${outDir}/results.json`, `${JSON.stringify(run, null, 2)}\n`);

  const section = renderApiSection(run);
  if (options['no-write']) {
    process.stdout.write(`\n${section}\n`);
  } else {
    writeApiSection(`${root}docs/benchmarks.md`, section);
    log('wrote docs/benchmarks.md');
  }
}

try {
  await main();
} catch (err) {
  process.stderr.write(`The benchmark failed: ${err.stack ?? err}\n`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
