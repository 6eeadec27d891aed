// Measures how many bcrypt.compare calls per second this machine completes
// at the API's cost when the calls go through the libuv thread pool, as
// the API's login does (async bcrypt.compare, UV_THREADPOOL_SIZE threads).
// Prints one JSON object on stdout.
import { availableParallelism } from 'node:os';

import bcrypt from 'bcrypt';

const cost = Number(process.argv[2] ?? 12);
const seconds = Number(process.argv[3] ?? 5);

// Node's default pool has 4 threads. One call in flight per thread, and
// at least one per core, keeps every core busy.
const poolSize = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
const inFlight = Math.max(poolSize, availableParallelism());

const password = 'correct horse battery staple';
const hash = await bcrypt.hash(password, cost);

const singleStart = performance.now();
const singleRuns = 3;
for (let i = 0; i < singleRuns; i += 1) await bcrypt.compare(password, hash);
const singleMs = (performance.now() - singleStart) / singleRuns;

let completed = 0;
const start = performance.now();
const deadline = start + seconds * 1000;

async function worker() {
  while (performance.now() < deadline) {
    if (!(await bcrypt.compare(password, hash)))
      throw new Error('bcrypt.compare returned false');
    completed += 1;
  }
}

await Promise.all(Array.from({ length: inFlight }, worker));
const elapsed = (performance.now() - start) / 1000;

process.stdout.write(
  `${JSON.stringify({
    cost,
    poolSize,
    inFlight,
    cores: availableParallelism(),
    singleCompareMs: singleMs,
    seconds: elapsed,
    compares: completed,
    comparesPerSecond: completed / elapsed,
  })}\n`,
);
