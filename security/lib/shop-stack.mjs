// Builds and starts the whole shop on 127.0.0.1 for the scan: the API on a
// fresh PostgreSQL database with seed data, the storefront in front of it,
// and a signed-in customer whose session the scanners use.
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { runProcess } from './run-process.mjs';

const STARTUP_TIMEOUT_MS = 90_000;
const ACCESS_COOKIE = '__Host-shop_access';
const REFRESH_COOKIE = '__Host-shop_refresh';
// The API's rate-limit bypass header (apps/api/src/plugins/rate-limit.ts).
export const BYPASS_HEADER = 'x-load-test-bypass';

/** Returns the first port in [from, to] on which 127.0.0.1 accepts a listener. */
export async function findFreePort(from, to, exclude = []) {
  for (let port = from; port <= to; port++) {
    if (exclude.includes(port)) continue;
    const free = await new Promise((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(
    `No free port between ${from} and ${to} on 127.0.0.1; stop what listens there or set SCAN_API_PORT and SCAN_WEB_PORT`,
  );
}

async function waitForHttp(
  url,
  {
    timeoutMs = STARTUP_TIMEOUT_MS,
    accept = (status) => status < 500,
    process: child,
  } = {},
) {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no response';
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null)
      throw new Error(
        `The process serving ${url} exited with code ${child.exitCode} before it was ready`,
      );
    try {
      const response = await fetch(url, {
        signal: AbortSignal.timeout(5_000),
        redirect: 'manual',
      });
      if (accept(response.status)) return;
      lastError = `status ${response.status}`;
    } catch (error) {
      lastError = error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(
    `${url} was not ready within ${timeoutMs / 1000} s (last result: ${lastError})`,
  );
}

function startService(name, command, args, { cwd, env, logFile }) {
  const log = createWriteStream(logFile);
  const child = spawn(command, args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  child.on('error', (error) =>
    log.write(`${name} failed to start: ${error.message}\n`),
  );
  return child;
}

async function stopService(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  }, 15_000);
  await exited;
  clearTimeout(timer);
}

async function apiJson(
  apiUrl,
  path,
  { method = 'GET', body, token, headers = {} } = {},
) {
  const response = await fetch(new URL(path, apiUrl), {
    method,
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!response.ok)
    throw new Error(
      `${method} ${path} failed with status ${response.status}: ${text.slice(0, 300)}`,
    );
  return json;
}

// The newest modification time of a file or of any file under a folder.
async function newestMtime(path) {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    newest = Math.max(newest, await newestMtime(join(path, entry.name)));
  }
  return newest;
}

// Each app's build output and the inputs whose changes make it stale.
const BUILDS = {
  'apps/api': {
    output: 'apps/api/dist/server.js',
    inputs: [
      'apps/api/src',
      'apps/api/package.json',
      'apps/api/tsconfig.build.json',
      'package-lock.json',
    ],
  },
  'apps/web': {
    output: 'apps/web/.next/BUILD_ID',
    inputs: [
      'apps/web/src',
      'apps/web/public',
      'apps/web/package.json',
      'apps/web/next.config.ts',
      'package-lock.json',
    ],
  },
};

// Builds each app whose output is missing or older than its inputs. In
// `.ci/run` the test suite has just built both, which saves minutes here.
async function buildApps(root, log, workDir) {
  for (const [workspace, build] of Object.entries(BUILDS)) {
    const outputTime = await newestMtime(join(root, build.output));
    const inputTimes = await Promise.all(
      build.inputs.map((input) => newestMtime(join(root, input))),
    );
    if (outputTime > Math.max(...inputTimes)) {
      log(`${workspace} build is newer than its sources, so it is reused`);
      continue;
    }
    log(`building ${workspace}`);
    const logFile = join(workDir, `build-${workspace.replace('/', '-')}.log`);
    const result = await runProcess('npm', ['run', 'build', '-w', workspace], {
      cwd: root,
      logFile,
      timeoutMs: 600_000,
    });
    if (result.code !== 0)
      throw new Error(
        `npm run build -w ${workspace} failed with exit code ${result.code}; see ${logFile}`,
      );
  }
}

// The development seed prints its accounts as "  <role> <email>  <password>".
function parseSeedAccounts(output) {
  const accounts = {};
  for (const match of output.matchAll(
    /^\s*(admin|customer)\s+(\S+@\S+)\s+(\S+)\s*$/gm,
  )) {
    accounts[match[1]] = { email: match[2], password: match[3] };
  }
  return accounts;
}

async function seedDatabase(root, databaseUrl, workDir, log) {
  const scripts =
    JSON.parse(await readFile(join(root, 'apps/api/package.json'), 'utf8'))
      .scripts ?? {};
  if (!scripts['db:seed']) {
    log('apps/api has no db:seed script: the catalog stays empty');
    return {};
  }
  const logFile = join(workDir, 'seed.log');
  const result = await runProcess('npm', ['run', 'db:seed', '-w', 'apps/api'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'development' },
    logFile,
    timeoutMs: 180_000,
  });
  if (result.code !== 0)
    throw new Error(
      `npm run db:seed -w apps/api failed with exit code ${result.code}; see ${logFile}`,
    );
  return parseSeedAccounts(result.stdout);
}

async function signIn(apiUrl, account, bypassHeaders) {
  const tokens = await apiJson(apiUrl, '/api/auth/login', {
    method: 'POST',
    body: account,
    headers: bypassHeaders,
  });
  return {
    ...account,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
  };
}

// Registers a customer of the scan's own, so that scanners hammering the
// login form cannot lock a seeded account, and gives it a cart and an order.
async function prepareCustomer(apiUrl, bypassHeaders, catalog) {
  const account = {
    email: `scan-${randomBytes(4).toString('hex')}@shop.test`,
    password: randomBytes(18).toString('base64url'),
  };
  await apiJson(apiUrl, '/api/auth/register', {
    method: 'POST',
    body: { ...account, name: 'Scan Customer' },
    headers: bypassHeaders,
  });
  const customer = await signIn(apiUrl, account, bypassHeaders);
  const options = { token: customer.accessToken, headers: bypassHeaders };

  let orderNumber;
  if (catalog.productId) {
    await apiJson(apiUrl, '/api/cart/items', {
      method: 'POST',
      body: { productId: catalog.productId, quantity: 1 },
      ...options,
    });
    const order = await apiJson(apiUrl, '/api/orders', {
      method: 'POST',
      body: {
        shippingAddress: {
          fullName: 'Scan Customer',
          line1: '1 Test Street',
          city: 'Berlin',
          postalCode: '10115',
          country: 'DE',
        },
        payment: { method: 'mock_card' },
      },
      ...options,
      headers: {
        ...bypassHeaders,
        'idempotency-key': `scan-${randomBytes(8).toString('hex')}`,
      },
    });
    orderNumber = order.number;
    // A second cart line keeps the cart pages and cart targets non-empty.
    await apiJson(apiUrl, '/api/cart/items', {
      method: 'POST',
      body: { productId: catalog.productId, quantity: 1 },
      ...options,
    });
  }
  return { ...customer, orderNumber };
}

async function readCatalog(apiUrl, bypassHeaders) {
  const products = await apiJson(apiUrl, '/api/products?limit=1', {
    headers: bypassHeaders,
  });
  const product = products.items?.[0];
  return {
    productId: product?.id,
    productSlug: product?.slug ?? 'no-product',
    categorySlug: product?.category?.slug ?? 'no-category',
    imagePath: product?.imageUrl,
  };
}

// The storefront's own production entry, which `npm start` and its image
// run in place of `next start`, so the scan attacks the server as deployed.
// `next start` is the fallback for a checkout without that entry.
async function webEntryArgs(root) {
  const entry = join(root, 'apps/web/server.mjs');
  if ((await newestMtime(entry)) > 0) return [entry];
  return [join(root, 'node_modules/next/dist/bin/next'), 'start'];
}

/**
 * Starts the stack and returns its URLs, accounts and a `stop` function
 * that stops both servers and drops the scan database.
 */
export async function startShopStack({
  root,
  workDir,
  adminUrl,
  redisUrl,
  build = true,
  log = () => {},
}) {
  if (build) await buildApps(root, log, workDir);

  const scanId = randomBytes(6).toString('hex');
  const databaseName = `scan_${scanId}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${databaseName}`);
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${databaseName}`;

  const apiPort = Number(
    process.env.SCAN_API_PORT ?? (await findFreePort(8110, 8129)),
  );
  const webPort = Number(
    process.env.SCAN_WEB_PORT ?? (await findFreePort(8130, 8139)),
  );
  // NOTE: ports are probed, not reserved, so a server started elsewhere in
  // the same second can still take one.
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const webUrl = `http://127.0.0.1:${webPort}`;
  const bypassToken = randomBytes(32).toString('base64url');
  const bypassHeaders = { [BYPASS_HEADER]: bypassToken };
  let api;
  let web;

  // Both a signal handler and the normal path may stop the stack, so the
  // second call waits for the first instead of repeating it.
  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      await stopService(web);
      await stopService(api);
      await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
      await admin.end();
      if (redisUrl) await deleteRedisKeys(redisUrl, `scan-${scanId}:*`);
    })();
    return stopping;
  };

  try {
    log(`starting the API on ${apiUrl} with database ${databaseName}`);
    api = startService(
      'api',
      process.execPath,
      [join(root, 'apps/api/dist/server.js')],
      {
        cwd: root,
        logFile: join(workDir, 'api.log'),
        env: {
          ...process.env,
          // In apps/api/src/config.ts, NODE_ENV=test only lowers the bcrypt
          // floor and makes JWT_SECRET optional (it is set here anyway). At
          // cost 12, each login, registration and password change that sqlmap
          // sends costs a quarter second of CPU, which would stretch the scan
          // by minutes without changing what it tests.
          NODE_ENV: 'test',
          BCRYPT_COST: '4',
          HOST: '127.0.0.1',
          PORT: String(apiPort),
          DATABASE_URL: databaseUrl.href,
          ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
          REDIS_KEY_PREFIX: `scan-${scanId}:`,
          JWT_SECRET: randomBytes(48).toString('base64url'),
          TRUST_PROXY_HOPS: '1',
          RATE_LIMIT_BYPASS_TOKEN: bypassToken,
        },
      },
    );
    await waitForHttp(`${apiUrl}/ready`, {
      accept: (status) => status === 200,
      process: api,
    });

    const accounts = await seedDatabase(root, databaseUrl.href, workDir, log);
    const catalog = await readCatalog(apiUrl, bypassHeaders);
    const customer = await prepareCustomer(apiUrl, bypassHeaders, catalog);
    const adminAccount = accounts.admin
      ? await signIn(apiUrl, accounts.admin, bypassHeaders).catch(
          () => undefined,
        )
      : undefined;

    // The storefront passes the client's bypass header on to the API, both
    // from its /api forwarder and from the pages it renders, so the
    // scanners send it with every storefront request.
    log(`starting the storefront on ${webUrl}`);
    web = startService(
      'web',
      process.execPath,
      [
        ...(await webEntryArgs(root)),
        '--port',
        String(webPort),
        '--hostname',
        '127.0.0.1',
      ],
      {
        cwd: join(root, 'apps/web'),
        logFile: join(workDir, 'web.log'),
        env: {
          ...process.env,
          NODE_ENV: 'production',
          API_URL: apiUrl,
          NEXT_TELEMETRY_DISABLED: '1',
        },
      },
    );
    await waitForHttp(`${webUrl}/`, {
      accept: (status) => status === 200,
      process: web,
    });

    return {
      apiUrl,
      webUrl,
      databaseName,
      bypassHeaders,
      catalog,
      customer,
      admin: adminAccount,
      sessionCookie: `${ACCESS_COOKIE}=${customer.accessToken}; ${REFRESH_COOKIE}=${customer.refreshToken}`,
      stop,
    };
  } catch (error) {
    await stop().catch((stopError) =>
      log(`stopping the stack failed: ${stopError.message}`),
    );
    throw error;
  }
}

// Removes the scan's rate-limit counters. Only keys under the scan's own
// prefix are touched, because other test runs share this Redis.
async function deleteRedisKeys(redisUrl, pattern) {
  const scan = await runProcess(
    'redis-cli',
    ['-u', redisUrl, '--scan', '--pattern', pattern],
    { timeoutMs: 30_000 },
  ).catch(() => undefined);
  const keys = scan?.stdout.split('\n').filter(Boolean) ?? [];
  for (let i = 0; i < keys.length; i += 100) {
    await runProcess(
      'redis-cli',
      ['-u', redisUrl, 'DEL', ...keys.slice(i, i + 100)],
      { timeoutMs: 30_000 },
    );
  }
}
