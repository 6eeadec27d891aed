import { execFileSync, spawn } from 'node:child_process';
import { openSync, readFileSync, readdirSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

/** Kernel clock ticks per second, the unit of utime/stime in /proc/<pid>/stat. */
const CLOCK_TICKS = Number(
  execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim(),
);

/**
 * Starts `node script` with stdout and stderr written to `logFile`, which it truncates.
 * Returns the child, whose pid is the node process itself, not a shell.
 */
export function startNodeProcess(script, { args = [], env, cwd, logFile }) {
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, [script, ...args], {
    cwd,
    env,
    stdio: ['ignore', log, log],
  });
  child.exitInfo = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return child;
}

/**
 * Polls `url` until it responds with 200. Throws when the child exits first or
 * after `timeoutMs`, with the tail of its log in the message.
 */
export async function waitForHttp(
  url,
  child,
  { timeoutMs = 30_000, logFile } = {},
) {
  const deadline = Date.now() + timeoutMs;
  let exited = null;
  child.exitInfo.then((info) => {
    exited = info;
  });

  while (Date.now() < deadline) {
    if (exited) {
      throw new Error(
        `${url}: the process exited (code ${exited.code}, signal ${exited.signal}) before it responded.\n${tail(logFile)}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await delay(200);
  }
  throw new Error(
    `${url} did not respond with 200 within ${timeoutMs} ms.\n${tail(logFile)}`,
  );
}

/** Sends SIGTERM, then SIGKILL when the child has not exited after `graceMs`. */
export async function stopProcess(child, graceMs = 12_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await child.exitInfo;
  clearTimeout(timer);
}

function tail(logFile, lines = 20) {
  if (!logFile) return '';
  try {
    const text = readFileSync(logFile, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .join('\n');
    return `Last lines of ${logFile}:\n${text}`;
  } catch {
    return '';
  }
}

/** Current and peak resident set size of a process, in bytes. */
export function readMemory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = (field) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rss: kilobytes('VmRSS') * 1024, hwm: kilobytes('VmHWM') * 1024 };
}

/**
 * Samples the RSS of `pid` every `intervalMs` until stopped. `take()`
 * returns the maximum seen since the previous take and starts a new window.
 */
export function startMemorySampler(pid, intervalMs = 100) {
  let windowMax = 0;
  const sample = () => {
    try {
      windowMax = Math.max(windowMax, readMemory(pid).rss);
    } catch {
      // The process has exited, and its last samples stay in the window.
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    take() {
      sample();
      const max = windowMax;
      windowMax = 0;
      return max;
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/** CPU time used so far by one process (user + system), in seconds, or null once it has exited. */
function processCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in brackets may contain spaces, so fields are
    // counted from the closing bracket: utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

function pidsByCommand(command) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === command)
        pids.push(Number(entry));
    } catch {
      // The process exited while the folder was read.
    }
  }
  return pids;
}

function machineCpuSeconds() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  // Fields: user nice system idle iowait irq softirq steal guest guest_nice.
  // guest time is already counted in user, so it is left out of the total.
  const total = values.slice(0, 8).reduce((sum, value) => sum + value, 0);
  const idle = values[3] + values[4];
  return { busy: (total - idle) / CLOCK_TICKS, total: total / CLOCK_TICKS };
}

/**
 * Snapshot of CPU time used by the machine and by each named group of
 * processes. `groups` maps a label to a pid list or to a command name
 * (matched against /proc/<pid>/comm, for example `postgres`).
 * `self` is the CPU time of this process, which runs autocannon.
 */
export function takeCpuSnapshot(groups) {
  const perGroup = {};
  for (const [label, selector] of Object.entries(groups)) {
    const pids =
      typeof selector === 'string' ? pidsByCommand(selector) : selector;
    perGroup[label] = Object.fromEntries(
      pids.map((pid) => [pid, processCpuSeconds(pid)]),
    );
  }
  const self = process.cpuUsage();
  return {
    at: performance.now(),
    machine: machineCpuSeconds(),
    self: (self.user + self.system) / 1e6,
    perGroup,
  };
}

/**
 * CPU use between two snapshots, in cores (1.0 = one core fully busy).
 * A process that started between the snapshots counts from zero. One
 * that exited in between is missing from the end snapshot and not counted.
 */
export function cpuUseBetween(start, end) {
  const seconds = (end.at - start.at) / 1000;
  const groups = {};
  for (const [label, endTimes] of Object.entries(end.perGroup)) {
    const startTimes = start.perGroup[label] ?? {};
    let used = 0;
    for (const [pid, cpu] of Object.entries(endTimes)) {
      if (cpu !== null) used += cpu - (startTimes[pid] ?? 0);
    }
    groups[label] = used / seconds;
  }
  groups.autocannon = (end.self - start.self) / seconds;

  const machineTotal = end.machine.total - start.machine.total;
  const cores = machineTotal / seconds;
  const busy = (end.machine.busy - start.machine.busy) / seconds;
  const known = Object.values(groups).reduce((sum, value) => sum + value, 0);
  return {
    seconds,
    cores,
    busy,
    idle: cores - busy,
    groups,
    other: Math.max(0, busy - known),
  };
}

/**
 * Waits until process `pid` uses less than `thresholdCores` over one
 * second. Returns the seconds waited, and throws after `timeoutMs`.
 */
export async function waitForIdle(
  pid,
  { thresholdCores = 0.05, timeoutMs = 60_000 } = {},
) {
  const start = performance.now();
  let previous = processCpuSeconds(pid);
  for (;;) {
    await delay(1000);
    const current = processCpuSeconds(pid);
    if (current - previous < thresholdCores)
      return (performance.now() - start) / 1000;
    if (performance.now() - start > timeoutMs) {
      throw new Error(
        `Process ${pid} still used CPU ${timeoutMs} ms after the last scenario.`,
      );
    }
    previous = current;
  }
}
