#!/usr/bin/env node
// `npm start`: builds what is out of date, then runs the shop's processes in
// the foreground. Ctrl-C or SIGTERM stops them gracefully, and the script
// exits with 0 when they stopped cleanly (see lib/supervise.mjs). NODE_ENV
// defaults to development.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { serviceEnvironments, superviseChildren } from './lib/supervise.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const environments = serviceEnvironments(process.env);
const env = environments.api;
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
  // It reaches the API at API_URL, which defaults to the API's HOST and PORT
  // (see serviceEnvironments for the rest of both environments).
  {
    name: 'web',
    env: environments.web,
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
      join(root, 'apps/web/server.mjs'),
      '--port',
      process.env.WEB_PORT || '3000',
      '--hostname',
      process.env.WEB_HOST || '127.0.0.1',
    ],
  },
];

for (const service of services) service.build();

superviseChildren(
  services.map((service) => ({ ...service, env: service.env ?? env })),
  { cwd: root },
);
