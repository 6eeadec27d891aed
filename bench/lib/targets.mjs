/** Connections autocannon keeps open in every scenario, as the targets assume. */
export const CONNECTIONS = 50;

/** RSS the API process may keep after the run, in bytes. */
export const MEMORY_TARGET_BYTES = 200 * 1024 * 1024;

/** Share of the measured bcrypt capacity that login must reach. */
export const LOGIN_SHARE_OF_BCRYPT = 0.8;

/**
 * Targets per scenario: `minCeilingShare` is the minimum req/s as a share
 * of the hello-world ceiling, `maxP99Ms` the p99 latency bound.
 */
export const SCENARIO_TARGETS = {
  list: { minCeilingShare: 0.3, maxP99Ms: 25 },
  product: { minCeilingShare: 0.3, maxP99Ms: 25 },
  search: { minCeilingShare: 0.1 },
  login: { minBcryptShare: LOGIN_SHARE_OF_BCRYPT },
};

const format = (value, digits = 0) =>
  value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });

/** Describes the target of a scenario in words, for the report table. */
export function describeTarget(name, bcryptPerSecond) {
  const target = SCENARIO_TARGETS[name];
  if (target.minBcryptShare !== undefined) {
    const needed = target.minBcryptShare * bcryptPerSecond;
    return `≥ ${format(target.minBcryptShare * 100)}% of bcrypt capacity (${format(needed, 2)} req/s)`;
  }
  const parts = [`≥ ${format(target.minCeilingShare * 100)}% of ceiling`];
  if (target.maxP99Ms !== undefined) parts.push(`p99 < ${target.maxP99Ms} ms`);
  return parts.join(', ');
}

/**
 * Checks one scenario against its target. Returns the misses as short
 * phrases, so an empty list means the target is met. A run with failed
 * requests never meets its target, because its req/s would count errors.
 */
export function checkScenario(name, result, ceiling, bcryptPerSecond) {
  const target = SCENARIO_TARGETS[name];
  const misses = [];
  // autocannon counts a timeout both as an error and as a timeout.
  const failed = result.non2xx + result.errors;
  if (failed > 0) {
    misses.push(
      `${failed} failed requests (${result.non2xx} non-2xx, ${result.errors} errors of which ${result.timeouts} timeouts)`,
    );
  }
  if (target.minBcryptShare !== undefined) {
    const needed = target.minBcryptShare * bcryptPerSecond;
    if (result.requestsPerSecond < needed) {
      misses.push(
        `${format(result.requestsPerSecond, 2)} req/s < ${format(needed, 2)} req/s`,
      );
    }
  }
  if (target.minCeilingShare !== undefined) {
    const share = result.requestsPerSecond / ceiling.requestsPerSecond;
    if (share < target.minCeilingShare) {
      misses.push(
        `${format(share * 100, 1)}% of ceiling < ${format(target.minCeilingShare * 100)}%`,
      );
    }
  }
  if (target.maxP99Ms !== undefined && result.latencyP99 >= target.maxP99Ms) {
    misses.push(`p99 ${format(result.latencyP99)} ms ≥ ${target.maxP99Ms} ms`);
  }
  return misses;
}

/**
 * Explains from the CPU measurements of a scenario what limited it:
 * whether the cores were saturated, and by which processes.
 */
export function explainLimit(name, result, cpu, bcrypt) {
  const sentences = [];
  const busyShare = cpu.busy / cpu.cores;
  const { server: api, autocannon, postgres, redis } = cpu.groups;
  const split =
    `API ${format(api, 2)}, autocannon ${format(autocannon, 2)}, PostgreSQL ${format(postgres, 2)}, ` +
    `Redis ${format(redis, 2)}, other processes ${format(cpu.other, 2)}`;

  if (busyShare >= 0.9) {
    sentences.push(
      `CPU-bound: the ${format(cpu.cores)} cores were ${format(busyShare * 100)}% busy (cores used: ${split}).`,
    );
  } else {
    sentences.push(
      `Not CPU-bound: the cores were ${format(busyShare * 100)}% busy (cores used: ${split}), so requests waited on something other than CPU.`,
    );
  }

  if (name === 'login') {
    sentences.push(
      `bcrypt alone, measured before the API started, completed ${format(bcrypt.comparesPerSecond, 2)} compares/s. ` +
        `During the login run the API process (its bcrypt threads included) used ${format(api, 2)} cores, ` +
        `while autocannon, PostgreSQL and Redis used ${format(autocannon + postgres + redis, 2)}.`,
    );
  } else if (api >= 0.9) {
    sentences.push(
      `The API process used ${format(api, 2)} cores: its JavaScript runs on one thread, so about one core is its limit.`,
    );
  }

  if (cpu.other >= 0.2) {
    sentences.push(
      `Processes outside the benchmark used ${format(cpu.other, 2)} cores during this scenario, which lowers the figure.`,
    );
  }

  if (
    SCENARIO_TARGETS[name].maxP99Ms !== undefined &&
    result.latencyP99 >= SCENARIO_TARGETS[name].maxP99Ms
  ) {
    // Little's law: with a fixed number of requests in flight, mean latency
    // is connections divided by throughput.
    const meanMs = (CONNECTIONS / result.requestsPerSecond) * 1000;
    const neededRps = (CONNECTIONS / SCENARIO_TARGETS[name].maxP99Ms) * 1000;
    sentences.push(
      `With ${CONNECTIONS} requests always in flight, mean latency is ${CONNECTIONS} / ${format(result.requestsPerSecond)} req/s = ${format(meanMs, 1)} ms, ` +
        `so a p99 under ${SCENARIO_TARGETS[name].maxP99Ms} ms needs more than ${format(neededRps)} req/s.`,
    );
  }
  return sentences.join(' ');
}
