import { existsSync, readFileSync, writeFileSync } from 'node:fs';

import {
  CONNECTIONS,
  MEMORY_TARGET_BYTES,
  checkScenario,
  describeTarget,
  explainLimit,
} from './targets.mjs';

const number = (value, digits = 0) =>
  value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
const megabytes = (bytes) => number(bytes / 1024 / 1024, 1);
const ratio = (value, base) => {
  const factor = value / base;
  return `${number(factor, factor >= 10 ? 0 : 1)}×`;
};
const percent = (value, base) => `${number((value / base) * 100, 1)}%`;

/**
 * Renders the "## API" section of docs/benchmarks.md from one run's
 * results. Every number comes from `run`, so none is typed in by hand.
 */
export function renderApiSection(run) {
  const { machine, settings, ceiling, scenarios, bcrypt, memory } = run;
  const lines = [];
  const push = (...text) => lines.push(...text);

  push(
    '## API',
    '',
    'Written by `npm run bench` (`bench/run.mjs`); rerun it to refresh this section.',
    'Each run first loads a bare Fastify "hello world" in its own process as the',
    'ceiling of this machine, then the production build of the API',
    '(`node apps/api/dist/server.js`, `NODE_ENV=production`) on a fresh, seeded',
    'PostgreSQL database and Redis. The ratios compare each figure with the ceiling.',
    '',
    `- Date: ${run.date}`,
    `- Command: \`${run.command}\``,
    `- Machine: ${machine.cores} cores, ${machine.cpuModel}, ${number(machine.memoryBytes / 1024 ** 3, 1)} GB RAM, load average ${machine.loadAverage} at start`,
    `- Software: Node ${machine.node}, ${machine.postgres}, Redis ${machine.redis}, autocannon ${machine.autocannon}`,
    `- Load: ${CONNECTIONS} connections, pipelining 1, ${settings.warmupSeconds} s warm-up then ${settings.seconds} s measured per scenario (login: no warm-up run, ${settings.loginSeconds} s measured); autocannon, the server under test, PostgreSQL and Redis share the same cores`,
    `- API settings: one process, \`DATABASE_POOL_SIZE\` ${settings.databasePoolSize}, \`LOG_LEVEL\` ${settings.logLevel} (written to a file), bcrypt cost ${bcrypt.cost}, rate limits skipped with a per-run \`RATE_LIMIT_BYPASS_TOKEN\``,
    `- Data: ${run.seed.products} products in ${run.seed.categories} categories from the API's seed, ${run.accounts} registered accounts for login (one per connection, because the per-account login throttle counts attempts in flight)`,
    '',
    '### Results',
    '',
    'Latency has 1 ms resolution. Peak RSS is the highest resident set size',
    'sampled every 100 ms from `/proc/<pid>/status` during the scenario.',
    '',
    '| Scenario | Request | req/s | × ceiling | p50 ms | × ceiling | p99 ms | × ceiling | Peak RSS MB | × ceiling |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|',
    `| Ceiling | \`GET /\` (bare Fastify) | ${number(ceiling.result.requestsPerSecond)} | 100% | ${ceiling.result.latencyP50} | 1× | ${ceiling.result.latencyP99} | 1× | ${megabytes(ceiling.peakRss)} | 1× |`,
  );
  for (const scenario of scenarios) {
    const { result } = scenario;
    push(
      `| ${scenario.title} | \`${scenario.request}\` | ${number(result.requestsPerSecond, result.requestsPerSecond < 100 ? 2 : 0)} | ` +
        `${percent(result.requestsPerSecond, ceiling.result.requestsPerSecond)} | ` +
        `${result.latencyP50} | ${ratio(result.latencyP50, ceiling.result.latencyP50 || 1)} | ` +
        `${result.latencyP99} | ${ratio(result.latencyP99, ceiling.result.latencyP99 || 1)} | ` +
        `${megabytes(scenario.peakRss)} | ${ratio(scenario.peakRss, ceiling.peakRss)} |`,
    );
  }

  push(
    '',
    '### Targets',
    '',
    '| Scenario | Target | Measured | Result |',
    '|---|---|---|---|',
  );
  const misses = [];
  for (const scenario of scenarios) {
    const { result } = scenario;
    const failures = checkScenario(
      scenario.name,
      result,
      ceiling.result,
      bcrypt.comparesPerSecond,
    );
    const measured =
      scenario.name === 'login'
        ? `${number(result.requestsPerSecond, 2)} req/s = ${percent(result.requestsPerSecond, bcrypt.comparesPerSecond)} of bcrypt capacity`
        : `${percent(result.requestsPerSecond, ceiling.result.requestsPerSecond)} of ceiling, p99 ${result.latencyP99} ms`;
    push(
      `| ${scenario.title} | ${describeTarget(scenario.name, bcrypt.comparesPerSecond)} | ${measured} | ${failures.length === 0 ? 'met' : `missed: ${failures.join('; ')}`} |`,
    );
    if (failures.length > 0) {
      misses.push(
        `- **${scenario.title}**: ${explainLimit(scenario.name, result, scenario.cpu, bcrypt)}`,
      );
    }
  }
  const memoryMet = memory.rssAfter < MEMORY_TARGET_BYTES;
  const loginResult = scenarios.find(
    (scenario) => scenario.name === 'login',
  ).result;
  push(
    `| API memory | RSS < ${megabytes(MEMORY_TARGET_BYTES)} MB after the run | ${megabytes(memory.rssAfter)} MB (peak ${megabytes(memory.hwm)} MB) | ${memoryMet ? 'met' : 'missed'} |`,
  );
  if (!memoryMet) {
    misses.push(
      `- **API memory**: ${megabytes(memory.rssAfter)} MB resident after the run and ${megabytes(memory.hwm)} MB at the peak, ` +
        `against ${megabytes(memory.rssAtStart)} MB when the API had just started and served no request yet ` +
        `(the bare Fastify ceiling peaked at ${megabytes(ceiling.peakRss)} MB).`,
    );
  }

  push(
    '',
    `The login target comes from bcrypt measured alone on this machine before the`,
    `API starts (\`bench/bcrypt-capacity.mjs\`): \`bcrypt.compare\` at cost ${bcrypt.cost} through the`,
    `libuv pool as the API calls it (${bcrypt.poolSize} threads, ${bcrypt.inFlight} calls in flight on ${bcrypt.cores} cores)`,
    `completed ${number(bcrypt.comparesPerSecond, 2)} compares/s, and one compare alone took ${number(bcrypt.singleCompareMs)} ms.`,
    '',
    `Login latency (p50 ${number(loginResult.latencyP50)} ms, against ${number(bcrypt.singleCompareMs)} ms for one compare alone) is`,
    'mostly queueing: 50 connections wait for a few bcrypt slots. Each login',
    'also signs its access token with jose, whose HMAC runs on the same libuv',
    'pool as bcrypt, so the API runs at most one bcrypt call per core (never',
    'more than 3) and keeps a pool thread free for token work.',
    '`node bench/pool-contention.mjs` shows what happens without that cap: a',
    'jose HS256 sign started after the first of 24 queued compares finishes',
    'only after most of them, so logins complete in bursts.',
    '',
    `API memory after the run is VmRSS read once the API was idle (${number(memory.idleAfterSeconds)} s after the last`,
    `scenario, as it finished the requests autocannon left in flight) plus ${memory.settleSeconds} s; the peak is VmHWM.`,
    `Right after start, before the first request, the API's RSS was ${megabytes(memory.rssAtStart)} MB.`,
  );

  push('', '### What limits the missed targets', '');
  if (misses.length === 0) {
    push('Every target was met in this run.');
  } else {
    push(
      'Measured CPU use during each missed scenario, in cores (1.00 = one core',
      'fully busy), from `/proc/stat` and `/proc/<pid>/stat`:',
      '',
      ...misses,
    );
  }

  push(
    '',
    '### CPU use per scenario',
    '',
    'Cores used during the measured seconds of each scenario. PostgreSQL counts',
    "the backends connected to the benchmark's database; Redis counts the whole",
    'server. "Other" is CPU used by every other process on the machine. The last',
    'column is the size of the server log written per completed request.',
    '',
    '| Scenario | Server | autocannon | PostgreSQL | Redis | Other | Idle | Log bytes/request |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
  );
  for (const entry of [{ title: 'Ceiling', ...ceiling }, ...scenarios]) {
    const { cpu } = entry;
    const server = cpu.groups.server;
    push(
      `| ${entry.title} | ${number(server, 2)} | ${number(cpu.groups.autocannon, 2)} | ${number(cpu.groups.postgres, 2)} | ` +
        `${number(cpu.groups.redis, 2)} | ${number(cpu.other, 2)} | ${number(Math.max(0, cpu.idle), 2)} | ` +
        `${number(entry.logBytesPerRequest)} |`,
    );
  }
  push('');
  return lines.join('\n');
}

/**
 * Replaces the "## API" section of `file`, from its heading to the next
 * "## " heading, and keeps every other section as it is. Creates the file
 * or appends the section when it is missing.
 */
export function writeApiSection(file, section) {
  const existing = existsSync(file)
    ? readFileSync(file, 'utf8')
    : '# Benchmarks\n';
  const lines = existing.split('\n');
  const start = lines.findIndex((line) => line.trim() === '## API');

  let output;
  if (start === -1) {
    output = `${existing.trimEnd()}\n\n${section}`;
  } else {
    let end = lines.findIndex(
      (line, index) => index > start && /^## /.test(line),
    );
    if (end === -1) end = lines.length;
    const before = lines.slice(0, start).join('\n').trimEnd();
    const after = lines.slice(end).join('\n').trim();
    output = `${before}\n\n${section}${after ? `\n${after}\n` : ''}`;
  }
  writeFileSync(file, output.endsWith('\n') ? output : `${output}\n`);
}
