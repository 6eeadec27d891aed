// Runs an external scanner with a hard time limit, writing its output to a
// log file so that a failed run can be read afterwards.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

// Process groups still running, so that an interrupted scan can end them.
const activeGroups = new Set();

/** Sends SIGKILL to every process group that runProcess started and that still runs. */
export function killActiveProcesses() {
  for (const pid of activeGroups) signalGroup(pid, 'SIGKILL');
  activeGroups.clear();
}

/**
 * Runs `command` and resolves with its exit code, even a non-zero one.
 * Rejects when the command cannot start. After `timeoutMs` the process
 * group gets SIGTERM, then SIGKILL five seconds later, and `timedOut` is set.
 */
export function runProcess(
  command,
  args,
  { logFile, env = process.env, cwd, timeoutMs, input } = {},
) {
  return new Promise((resolve, reject) => {
    const log = logFile ? createWriteStream(logFile) : null;
    const child = spawn(command, args, {
      cwd,
      env,
      detached: true,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (child.pid) activeGroups.add(child.pid);
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      log?.write(chunk);
    });
    child.stderr.on('data', (chunk) => log?.write(chunk));
    if (input !== undefined) child.stdin.end(input);

    let timedOut = false;
    let killTimer;
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          signalGroup(child.pid, 'SIGTERM');
          killTimer = setTimeout(
            () => signalGroup(child.pid, 'SIGKILL'),
            5_000,
          );
        }, timeoutMs)
      : undefined;

    child.on('error', (error) => {
      activeGroups.delete(child.pid);
      clearTimeout(timer);
      log?.end();
      reject(
        new Error(`Failed to start ${command}: ${error.message}`, {
          cause: error,
        }),
      );
    });
    child.on('close', (code, signal) => {
      activeGroups.delete(child.pid);
      clearTimeout(timer);
      clearTimeout(killTimer);
      log?.end();
      resolve({ code, signal, timedOut, stdout });
    });
  });
}

// The scanners start helper processes, so the whole group is signalled.
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}
