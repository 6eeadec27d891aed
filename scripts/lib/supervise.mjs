// Runs the shop's processes in the foreground for `npm start` and stops
// them together. Kept apart from start.mjs so that tests can run it with
// stand-in processes.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/**
 * URL at which the storefront reaches the API: API_URL when set, else the
 * API's HOST and PORT, with a wildcard host replaced by the loopback
 * address, which the API also listens on.
 */
export function storefrontApiUrl(env) {
  if (env.API_URL) return env.API_URL;

  const host = env.HOST || '127.0.0.1';
  const port = env.PORT || '4000';
  if (host === '0.0.0.0') return `http://127.0.0.1:${port}`;
  if (host === '::') return `http://[::1]:${port}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Builds the environments of the API and the storefront for `npm start`
 * from the environment of the script:
 * - the API trusts one proxy hop (TRUST_PROXY_HOPS=1, unless set), because
 *   the storefront forwards every browser request with the shopper's
 *   address in X-Forwarded-For; with 0 hops all shoppers share one
 *   rate-limit key;
 * - the storefront runs in production mode, reaches the API at API_URL,
 *   and compares the Origin of state-changing requests with WEB_ORIGIN,
 *   which defaults to its own `http://WEB_HOST:WEB_PORT` so the Host header
 *   cannot choose it.
 */
export function serviceEnvironments(env) {
  const nodeEnv = env.NODE_ENV || 'development';
  const webHost = env.WEB_HOST || '127.0.0.1';
  const webPort = env.WEB_PORT || '3000';
  const webOriginHost = webHost.includes(':') ? `[${webHost}]` : webHost;

  return {
    api: {
      ...env,
      NODE_ENV: nodeEnv,
      TRUST_PROXY_HOPS: env.TRUST_PROXY_HOPS || '1',
    },
    web: {
      ...env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      API_URL: storefrontApiUrl(env),
      WEB_ORIGIN: env.WEB_ORIGIN || `http://${webOriginHost}:${webPort}`,
    },
  };
}

/**
 * True when a process that was sent `signal` ended as a clean stop: with
 * code 0, with the shell convention 128 + signal number (Next.js exits so),
 * or killed by that signal.
 */
export function stoppedCleanly(code, exitSignal, signal) {
  if (code === 0) return true;
  if (signal === undefined) return false;
  return exitSignal === signal || code === 128 + constants.signals[signal];
}

/**
 * Starts each service in a process group of its own and waits for all of
 * them. The first SIGINT or SIGTERM is passed on to each child once, and
 * later ones are ignored. `npm start` in a terminal delivers a Ctrl-C twice
 * (from the terminal and from npm), and the API takes a second signal as
 * "exit without draining". When one child exits on its own, the
 * others get SIGTERM. Exits 0 when every child stopped cleanly after the
 * signal, and otherwise with the exit code of the first child that did not.
 */
export function superviseChildren(services, { cwd }) {
  let forwardedSignal;
  let failureCode;
  let running = services.length;

  const children = services.map((service) => {
    // A process group of its own, so a Ctrl-C in the terminal reaches the
    // child only through this script.
    const child = spawn(service.command, service.args, {
      cwd,
      env: service.env,
      stdio: 'inherit',
      detached: true,
    });
    child.on('error', (err) => {
      console.error(`${service.name} failed to start: ${err.message}`);
      failureCode ??= 1;
      stopAll('SIGTERM');
    });
    return { service, child };
  });

  function stopAll(signal) {
    if (forwardedSignal !== undefined) return;
    forwardedSignal = signal;
    for (const { child } of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
      }
    }
  }

  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (forwardedSignal !== undefined) {
        console.error(
          `Received ${signal} while stopping: waiting for the processes to exit.`,
        );
        return;
      }
      stopAll(signal);
    });
  }

  for (const { service, child } of children) {
    child.on('exit', (code, signal) => {
      running -= 1;
      if (!stoppedCleanly(code, signal, forwardedSignal)) {
        failureCode ??= code ?? 1;
      }
      if (forwardedSignal === undefined) {
        console.error(
          `${service.name} exited (${signal ?? `code ${code}`}); stopping the rest`,
        );
        failureCode ??= code ?? 1;
        stopAll('SIGTERM');
      }
      if (running === 0) process.exit(failureCode ?? 0);
    });
  }
}
