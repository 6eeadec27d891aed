// The process supervisor of `npm start` (scripts/lib/supervise.mjs), run
// with stand-in children that record the signals they receive.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import {
  storefrontApiUrl,
  stoppedCleanly,
} from '../../../../scripts/lib/supervise.mjs';

const superviseModule = fileURLToPath(
  new URL('../../../../scripts/lib/supervise.mjs', import.meta.url),
);

// A stand-in child: marks itself ready, appends each signal to a file and
// exits with the given code (or 128 + signal number for "signal") after
// 300 ms, so that a duplicate signal would still reach it.
const childScript = `
const fs = require('node:fs');
const os = require('node:os');
const [file, exitCode] = process.argv.slice(1);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    fs.appendFileSync(file + '.signals', signal + '\\n');
    const code = exitCode === 'signal' ? 128 + os.constants.signals[signal] : Number(exitCode);
    setTimeout(() => process.exit(code), 300);
  });
}
fs.writeFileSync(file + '.ready', '');
setInterval(() => {}, 1000);
`;

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shop-supervise-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Run {
  exitCode: number | null;
  apiSignals: string[];
  webSignals: string[];
}

/** Starts the supervisor with two stand-ins, sends `signals` and waits. */
async function superviseAndSignal(
  name: string,
  webExitCode: string,
  signals: NodeJS.Signals[],
): Promise<Run> {
  const api = join(dir, `${name}-api`);
  const web = join(dir, `${name}-web`);
  const supervisorScript = `
import { superviseChildren } from ${JSON.stringify(superviseModule)};
const child = (name, file, code) => ({
  name,
  command: process.execPath,
  args: ['-e', ${JSON.stringify(childScript)}, file, code],
  env: process.env,
});
superviseChildren(
  [child('api', ${JSON.stringify(api)}, '0'), child('web', ${JSON.stringify(web)}, ${JSON.stringify(webExitCode)})],
  { cwd: ${JSON.stringify(dir)} },
);
`;
  const supervisor = spawn(
    process.execPath,
    ['--input-type=module', '-e', supervisorScript],
    { stdio: 'inherit' },
  );
  const exited = new Promise<number | null>((resolve) =>
    supervisor.on('exit', (code) => resolve(code)),
  );

  while (!existsSync(`${api}.ready`) || !existsSync(`${web}.ready`)) {
    await sleep(20);
  }
  for (const signal of signals) supervisor.kill(signal);
  const exitCode = await exited;

  const read = async (file: string) =>
    (await readFile(`${file}.signals`, 'utf8')).trim().split('\n');
  return { exitCode, apiSignals: await read(api), webSignals: await read(web) };
}

test('supervisor - SIGTERM stops both children and exits 0', async () => {
  const run = await superviseAndSignal('term', '0', ['SIGTERM']);

  assert.equal(run.exitCode, 0);
  assert.deepEqual(run.apiSignals, ['SIGTERM']);
  assert.deepEqual(run.webSignals, ['SIGTERM']);
});

test('supervisor - a doubled Ctrl-C reaches each child once', async () => {
  // npm start in a terminal: the terminal and npm both send SIGINT. The
  // stand-in web exits with 130 on SIGINT, as Next.js does.
  const run = await superviseAndSignal('int', 'signal', ['SIGINT', 'SIGINT']);

  assert.equal(run.exitCode, 0);
  assert.deepEqual(run.apiSignals, ['SIGINT']);
  assert.deepEqual(run.webSignals, ['SIGINT']);
});

test('supervisor - a failing stop gives its exit code', async () => {
  const run = await superviseAndSignal('fail', '3', ['SIGTERM']);

  assert.equal(run.exitCode, 3);
});

test('supervisor - clean stop cases', () => {
  assert.equal(stoppedCleanly(0, null, 'SIGTERM'), true);
  assert.equal(stoppedCleanly(143, null, 'SIGTERM'), true);
  assert.equal(stoppedCleanly(130, null, 'SIGINT'), true);
  assert.equal(stoppedCleanly(null, 'SIGTERM', 'SIGTERM'), true);
  assert.equal(stoppedCleanly(1, null, 'SIGTERM'), false);
  assert.equal(stoppedCleanly(143, null, undefined), false);
});

test('storefront API URL - follows HOST and PORT', () => {
  assert.equal(storefrontApiUrl({}), 'http://127.0.0.1:4000');
  assert.equal(storefrontApiUrl({ PORT: '4600' }), 'http://127.0.0.1:4600');
  assert.equal(
    storefrontApiUrl({ HOST: '0.0.0.0', PORT: '4601' }),
    'http://127.0.0.1:4601',
  );
  assert.equal(
    storefrontApiUrl({ HOST: '::', PORT: '4602' }),
    'http://[::1]:4602',
  );
  assert.equal(
    storefrontApiUrl({ HOST: '127.0.0.5', PORT: '4603' }),
    'http://127.0.0.5:4603',
  );
  assert.equal(
    storefrontApiUrl({ API_URL: 'http://api.internal:8080', PORT: '4604' }),
    'http://api.internal:8080',
  );
});
