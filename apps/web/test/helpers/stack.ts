// Starts the whole shop for browser and HTTP tests: a fresh PostgreSQL
// database (migrated and seeded), the built API, and the production build
// of the storefront, each on a free port of 127.0.0.1.
//
// Uses the PostgreSQL server in DATABASE_URL (CREATE DATABASE must be
// allowed) and REDIS_URL, or the local default servers. Usage:
//   const stack = await startStack();
//   ... fetch(`${stack.webUrl}/`) ...
//   await stack.stop();
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Redis } from 'ioredis';
import pg from 'pg';

export const REPO_ROOT = fileURLToPath(
  new URL('../../../../', import.meta.url),
);
export const WEB_DIR = join(REPO_ROOT, 'apps/web');
export const API_DIR = join(REPO_ROOT, 'apps/api');

export interface Account {
  email: string;
  password: string;
}

export interface Stack {
  webUrl: string;
  apiUrl: string;
  databaseUrl: string;
  admin: Account;
  customer: Account;
  /** Output of both servers, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

export interface StackOptions {
  /**
   * Number of proxies the storefront trusts in X-Forwarded-For (default 1):
   * tests then give each browser context its own client address, so the
   * API's per-IP rate limits do not make the tests depend on each other.
   */
  webTrustProxyHops?: number;
}

const START_TIMEOUT_MS = 60_000;

/** Returns a port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'generated') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): string {
  const result = spawnSync(command, args, {
    cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed with exit code ${result.status}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return `${result.stdout}\n${result.stderr}`;
}

/** Builds the API and the storefront when their sources are newer than the build. */
export function ensureBuilt(): void {
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  const apiEntry = join(API_DIR, 'dist/server.js');
  if (
    !existsSync(apiEntry) ||
    statSync(apiEntry).mtimeMs < newestMtime(join(API_DIR, 'src'))
  ) {
    run('npm', ['run', 'build', '-w', 'apps/api'], REPO_ROOT, env);
  }

  const buildId = join(WEB_DIR, '.next/BUILD_ID');
  const webSources = Math.max(
    newestMtime(join(WEB_DIR, 'src')),
    newestMtime(join(WEB_DIR, 'next.config.ts')),
  );
  if (!existsSync(buildId) || statSync(buildId).mtimeMs < webSources) {
    run('npm', ['run', 'build', '-w', 'apps/web'], REPO_ROOT, env);
  }
}

function databaseUrlFor(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient<T>(
  serverUrl: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Reads the passwords that the development seed prints for its two
 * accounts: the first token of 12 or more characters after the email on
 * the same line, as in `admin    admin@shop.test  Xy...` or
 * `admin@shop.test password: Xy...`.
 */
export function parseSeedAccounts(output: string): {
  admin?: Account;
  customer?: Account;
} {
  const accounts: { admin?: Account; customer?: Account } = {};
  for (const line of output.split('\n')) {
    const match =
      /((?:admin|customer)@shop\.test)\b\W*(?:password\W+)?(\S{12,})/i.exec(
        line,
      );
    if (!match?.[1] || !match[2]) continue;
    const account = {
      email: match[1],
      password: match[2].replace(/["',]+$/, ''),
    };
    if (match[1].startsWith('admin')) accounts.admin = account;
    else accounts.customer = account;
  }
  return accounts;
}

/** Deletes every Redis key under `prefix`, the API's key prefix for one stack. */
export async function deleteRedisKeys(
  url: string,
  prefix: string,
): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${prefix}*`,
        'COUNT',
        500,
      );
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function waitForHttp(
  url: string,
  child: ChildProcess,
  logs: () => string,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `Server exited with code ${child.exitCode} before ${url} answered:\n${logs()}`,
      );
    }
    try {
      const response = await fetch(url, { redirect: 'manual' });
      if (response.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `Timed out after ${START_TIMEOUT_MS} ms waiting for ${url}:\n${logs()}`,
  );
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface WebServer {
  url: string;
  child: ChildProcess;
  logs(): string;
  stop(): Promise<void>;
}

/**
 * Starts the production build of the storefront (`server.mjs`) on a free
 * port, talking to the API at `apiUrl`. The build must exist (ensureBuilt).
 */
export async function startWebServer(options: {
  apiUrl: string;
  trustProxyHops?: number;
}): Promise<WebServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const logs = () => output.slice(-20_000);

  const child = spawn(
    process.execPath,
    [join(WEB_DIR, 'server.mjs'), '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: WEB_DIR,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        API_URL: options.apiUrl,
        WEB_ORIGIN: url,
        WEB_TRUST_PROXY_HOPS: String(options.trustProxyHops ?? 0),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (chunk) => (output += `[web] ${chunk}`));
  child.stderr?.on('data', (chunk) => (output += `[web] ${chunk}`));

  try {
    await waitForHttp(`${url}/signin`, child, logs);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { url, child, logs, stop: () => stopChild(child) };
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  // The same defaults as .ci/run and npm run bench: the local servers.
  const serverUrl =
    process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

  ensureBuilt();

  const databaseName = `shop_web_${process.pid}_${randomBytes(4).toString('hex')}`;
  const databaseUrl = databaseUrlFor(serverUrl, databaseName);
  await withClient(serverUrl, (client) =>
    client.query(`CREATE DATABASE ${client.escapeIdentifier(databaseName)}`),
  );

  const redisPrefix = `webtest:${databaseName}:`;
  const children: ChildProcess[] = [];
  let output = '';
  const logs = () => output.slice(-20_000);
  const dropDatabase = () =>
    withClient(serverUrl, (client) =>
      client.query(
        `DROP DATABASE IF EXISTS ${client.escapeIdentifier(databaseName)} WITH (FORCE)`,
      ),
    );
  const cleanUp = async () => {
    await deleteRedisKeys(redisUrl, redisPrefix);
    await dropDatabase();
  };

  try {
    const seedEnv: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
    };
    run(
      'npm',
      ['run', '--silent', 'db:migrate', '-w', 'apps/api'],
      REPO_ROOT,
      seedEnv,
    );
    const seedOutput = run(
      'npm',
      ['run', '--silent', 'db:seed', '-w', 'apps/api'],
      REPO_ROOT,
      seedEnv,
    );
    const { admin, customer } = parseSeedAccounts(seedOutput);
    if (!admin || !customer) {
      throw new Error(
        `The seed output names no admin or customer password:\n${seedOutput}`,
      );
    }

    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const api = spawn(process.execPath, [join(API_DIR, 'dist/server.js')], {
      cwd: API_DIR,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(apiPort),
        NODE_ENV: 'production',
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: redisPrefix,
        JWT_SECRET: randomBytes(48).toString('base64url'),
        TRUST_PROXY_HOPS: '1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(api);
    api.stdout?.on('data', (chunk) => (output += `[api] ${chunk}`));
    api.stderr?.on('data', (chunk) => (output += `[api] ${chunk}`));
    await waitForHttp(`${apiUrl}/health`, api, logs);

    const web = await startWebServer({
      apiUrl,
      trustProxyHops: options.webTrustProxyHops ?? 1,
    });
    children.push(web.child);
    const webUrl = web.url;

    return {
      webUrl,
      apiUrl,
      databaseUrl,
      admin,
      customer,
      logs: () => `${logs()}\n${web.logs()}`,
      async stop() {
        await Promise.all(children.map(stopChild));
        await cleanUp();
      },
    };
  } catch (error) {
    await Promise.all(children.map(stopChild));
    await cleanUp();
    throw error;
  }
}
