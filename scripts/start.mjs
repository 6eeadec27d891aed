#!/usr/bin/env node
// `npm start`: builds what is out of date, then runs the shop's processes in
// the foreground. Ctrl-C or SIGTERM stops them gracefully, and the script
// exits with the exit code of the first process that stopped. NODE_ENV
// defaults to development.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env, NODE_ENV: process.env.NODE_ENV || 'development' };
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Newest modification time under `path`, skipping generated folders. */
function newestMtime(path) {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;

  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'generated' || entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** True when `output` is missing or older than any of `inputs`. */
function isStale(output, inputs) {
  if (!existsSync(output)) return true;

  const built = statSync(output).mtimeMs;
  return inputs.some(
    (input) => existsSync(input) && newestMtime(input) > built,
  );
}

function run(command, args, runEnv = env) {
  console.log(`> ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    cwd: root,
    env: runEnv,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error(
      `${command} ${args.join(' ')} failed with exit code ${result.status}`,
    );
    process.exit(result.status ?? 1);
  }
}

// The processes to run. Each is built first when its sources are newer than
// its build output.
const services = [
  {
    name: 'api',
    build() {
      const api = join(root, 'apps/api');
      const inputs = [
        'src',
        'prisma/schema.prisma',
        'tsconfig.build.json',
        'package.json',
      ];
      if (
        isStale(
          join(api, 'dist/server.js'),
          inputs.map((input) => join(api, input)),
        )
      ) {
        // The api's prebuild script regenerates the Prisma client first.
        run(npm, ['run', 'build', '-w', 'apps/api']);
      }
    },
    command: process.execPath,
    args: [join(root, 'apps/api/dist/server.js')],
  },
  // The storefront always runs its production build: `next build` and
  // `next start` expect NODE_ENV=production, whatever the API runs with.
  // It reaches the API at API_URL (default http://127.0.0.1:4000).
  {
    name: 'web',
    env: { ...env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    build() {
      const web = join(root, 'apps/web');
      const inputs = ['src', 'next.config.ts', 'package.json'];
      if (
        isStale(
          join(web, '.next/BUILD_ID'),
          inputs.map((input) => join(web, input)),
        )
      ) {
        run(npm, ['run', 'build', '-w', 'apps/web'], this.env);
      }
    },
    command: process.execPath,
    args: [
      join(root, 'node_modules/next/dist/bin/next'),
      'start',
      join(root, 'apps/web'),
      '--port',
      process.env.WEB_PORT || '3000',
      '--hostname',
      process.env.WEB_HOST || '127.0.0.1',
    ],
  },
];

for (const service of services) service.build();

const children = services.map((service) => {
  // A process group of its own, so a Ctrl-C in the terminal reaches the
  // child once, forwarded below, and not a second time from the terminal.
  const child = spawn(service.command, service.args, {
    cwd: root,
    env: service.env ?? env,
    stdio: 'inherit',
    detached: true,
  });
  child.on('error', (err) => {
    console.error(`${service.name} failed to start: ${err.message}`);
    stopAll('SIGTERM');
  });
  return { service, child };
});

let stopping = false;
function stopAll(signal) {
  stopping = true;
  for (const { child } of children) {
    if (child.exitCode === null && child.signalCode === null)
      child.kill(signal);
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    // A second Ctrl-C is passed on too, which the API takes as "exit now".
    stopAll(signal);
  });
}

let exitCode;
let running = children.length;
for (const { service, child } of children) {
  child.on('exit', (code, signal) => {
    running -= 1;
    if (exitCode === undefined) {
      exitCode = code ?? 1;
      if (!stopping) {
        console.error(
          `${service.name} exited (${signal ?? `code ${code}`}); stopping the rest`,
        );
        stopAll('SIGTERM');
      }
    }
    if (running === 0) process.exit(exitCode);
  });
}
