// Runs the built API and storefront as the Kubernetes manifests run them
// (non-root UID/GID, read-only root filesystem, only the emptyDir paths
// writable) and drives a purchase through both. Each app starts from a
// folder staged with its image's layout: what the Dockerfile's final
// stage copies, with production dependencies only. A write to any path
// that the manifests do not mount as emptyDir fails with EROFS, and a file
// that the image lacks fails the start, so either fails this test. Needs
// bubblewrap, PostgreSQL (DATABASE_URL) and Redis (REDIS_URL).

import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { Redis } from 'ioredis';
import pg from 'pg';

import { parseDockerfile, splitStages } from '../lib/dockerfile.ts';
import { stageImage } from '../lib/image-layout.ts';
import { findObject, renderOverlay, type KubeObject } from '../lib/render.ts';
import {
  findBwrap,
  runSandboxed,
  sandboxArguments,
  startSandboxed,
  type SandboxOptions,
} from '../lib/sandbox.ts';

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- rendered objects are free-form

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// The deploy workspace's port range; the test takes the first free ports.
const PORT_RANGE = { first: 5150, last: 5199 };
const START_TIMEOUT_MS = 60_000;
// The staged images are hard-linked from the repository, so they must be
// on its file system. node_modules is ignored by git and Docker.
const STAGING_ROOT = join(
  ROOT,
  'node_modules/.cache',
  `deploy-image-${process.pid}-${randomBytes(4).toString('hex')}`,
);

interface ContainerPlan {
  /** The container spec as rendered from the production overlay. */
  container: Spec;
  sandbox: SandboxOptions;
}

/** Image working folder and command, read from a Dockerfile's final stage. */
function imageEntry(dockerfile: string): {
  workdir: string;
  command: string[];
} {
  const stages = splitStages(
    parseDockerfile(readFileSync(join(ROOT, dockerfile), 'utf8')),
  );
  const finalStage = stages.at(-1)?.instructions ?? [];
  const workdir = finalStage
    .filter((step) => step.keyword === 'WORKDIR')
    .at(-1)?.args;
  const command = finalStage
    .filter((step) => step.keyword === 'CMD')
    .at(-1)?.args;
  if (!workdir || !command)
    throw new Error(`${dockerfile} has no WORKDIR or CMD in its final stage`);
  return { workdir, command: JSON.parse(command) as string[] };
}

function configMapData(
  objects: KubeObject[],
  container: Spec,
): Record<string, string> {
  const data: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (!source.configMapRef) continue;
    Object.assign(
      data,
      findObject(objects, 'ConfigMap', source.configMapRef.name).data,
    );
  }
  return data;
}

/** Build the sandbox of one container from its UID/GID, emptyDir mounts and ConfigMap environment. */
function planContainer(
  objects: KubeObject[],
  deployment: string,
  containerName: string,
  appRoot: string,
  workdir: string,
  env: Record<string, string>,
): ContainerPlan {
  const pod = (findObject(objects, 'Deployment', deployment).spec as Spec)
    .template.spec;
  const container = [...(pod.initContainers ?? []), ...pod.containers].find(
    (item: Spec) => item.name === containerName,
  );
  if (!container)
    throw new Error(
      `Deployment/${deployment} has no container ${containerName}`,
    );

  const emptyDirs = new Set(
    pod.volumes
      .filter((volume: Spec) => volume.emptyDir !== undefined)
      .map((volume: Spec) => volume.name),
  );
  const writablePaths = (container.volumeMounts ?? [])
    .filter((mount: Spec) => emptyDirs.has(mount.name))
    .map((mount: Spec) => mount.mountPath as string);

  const securityContext = {
    ...pod.securityContext,
    ...container.securityContext,
  };
  return {
    container,
    sandbox: {
      appRoot,
      writablePaths,
      uid: securityContext.runAsUser,
      gid: securityContext.runAsGroup,
      cwd: workdir,
      env: {
        PATH: '/usr/local/bin:/usr/bin:/bin',
        HOME: '/nonexistent',
        ...configMapData(objects, container),
        ...env,
      },
    },
  };
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (
    let port = PORT_RANGE.first;
    port <= PORT_RANGE.last && ports.length < count;
    port++
  ) {
    if (await isPortFree(port)) ports.push(port);
  }
  if (ports.length < count) {
    throw new Error(
      `Fewer than ${count} free ports in ${PORT_RANGE.first}-${PORT_RANGE.last} on 127.0.0.1`,
    );
  }
  return ports;
}

function build(workspace: string): void {
  const result = spawnSync('npm', ['run', 'build', '-w', workspace], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) {
    throw new Error(
      `npm run build -w ${workspace} failed:\n${result.stdout}\n${result.stderr}`,
    );
  }
}

async function waitForHttp(
  url: string,
  child: ChildProcess,
  logs: () => string,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `The server stopped before ${url} returned 200:\n${logs()}`,
      );
    }
    try {
      const response = await fetch(url);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `Timed out after ${START_TIMEOUT_MS} ms waiting for ${url}:\n${logs()}`,
  );
}

function stop(child: ChildProcess): Promise<void> {
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

async function withDatabase<T>(
  url: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Delete the keys this test's API wrote, by prefix, never the whole database. */
async function deleteRedisKeys(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        pattern,
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

// The run itself takes about 25 s; the limit also covers building the
// apps on a first run.
describe('read-only run', { timeout: 300_000 }, () => {
  const serverUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  const databaseName = `shop_deploy_ro_${process.pid}_${randomBytes(4).toString('hex')}`;
  const children: ChildProcess[] = [];
  let output = '';
  const logs = () => output.slice(-20_000);
  let databaseCreated = false;
  let api: ContainerPlan;
  let migrate: ContainerPlan;
  let web: ContainerPlan;
  let apiCommand: string[];
  let webCommand: string[];
  let apiProcess: ChildProcess | undefined;
  let webProcess: ChildProcess | undefined;
  let apiUrl: string;
  let webUrl: string;

  before(async () => {
    if (!findBwrap()) {
      throw new Error(
        'bwrap is not installed: install the bubblewrap package (apt-get install bubblewrap)',
      );
    }
    if (!serverUrl)
      throw new Error(
        'DATABASE_URL is missing: set it to a PostgreSQL server URL',
      );
    if (!redisUrl)
      throw new Error('REDIS_URL is missing: set it to a Redis URL');

    if (!existsSync(join(ROOT, 'apps/api/dist/server.js'))) build('apps/api');
    if (!existsSync(join(ROOT, 'apps/web/.next/BUILD_ID'))) build('apps/web');

    const [apiPort, webPort] = (await freePorts(2)) as [number, number];
    apiUrl = `http://127.0.0.1:${apiPort}`;
    webUrl = `http://127.0.0.1:${webPort}`;

    const databaseUrl = new URL(serverUrl);
    databaseUrl.pathname = `/${databaseName}`;
    const objects = renderOverlay('production');
    const apiImage = imageEntry('apps/api/Dockerfile');
    const webImage = imageEntry('apps/web/Dockerfile');
    apiCommand = apiImage.command;
    webCommand = webImage.command;

    const apiEnv = {
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: `deploy-ro:${databaseName}:`,
      JWT_SECRET: randomBytes(48).toString('base64url'),
      LOG_LEVEL: 'warn',
    };
    const apiRoot = stageImage(
      ROOT,
      'apps/api/Dockerfile',
      '@shop/api',
      join(STAGING_ROOT, 'api'),
    ).appRoot;
    const webRoot = stageImage(
      ROOT,
      'apps/web/Dockerfile',
      '@shop/web',
      join(STAGING_ROOT, 'web'),
    ).appRoot;

    api = planContainer(
      objects,
      'api',
      'api',
      apiRoot,
      apiImage.workdir,
      apiEnv,
    );
    migrate = planContainer(
      objects,
      'api',
      'migrate',
      apiRoot,
      apiImage.workdir,
      apiEnv,
    );
    web = planContainer(objects, 'web', 'web', webRoot, webImage.workdir, {
      HOSTNAME: '127.0.0.1',
      PORT: String(webPort),
      API_URL: apiUrl,
      WEB_ORIGIN: webUrl,
    });

    // bwrap needs each mount point to exist in the read-only tree.
    for (const plan of [api, web]) {
      for (const path of plan.sandbox.writablePaths) {
        if (path.startsWith('/app/')) {
          mkdirSync(join(plan.sandbox.appRoot, path.slice('/app/'.length)), {
            recursive: true,
          });
        }
      }
    }
  });

  after(async () => {
    await Promise.all(children.map(stop));
    rmSync(STAGING_ROOT, { recursive: true, force: true });
    if (redisUrl)
      await deleteRedisKeys(redisUrl, `deploy-ro:${databaseName}:*`);
    if (databaseCreated && serverUrl) {
      await withDatabase(serverUrl, (client) =>
        client.query(
          `DROP DATABASE IF EXISTS ${client.escapeIdentifier(databaseName)} WITH (FORCE)`,
        ),
      );
    }
  });

  test('read-only run - undeclared write rejected', async () => {
    const script =
      "require('fs').writeFileSync('/app/apps/api/undeclared-write', 'x')";
    const result = await runSandboxed(api.sandbox, [
      process.execPath,
      '-e',
      script,
    ]);
    assert.notEqual(result.code, 0);
    assert.match(result.output, /EROFS|read-only file system/i);
  });

  test('read-only run - root and /dev read-only', () => {
    const args = sandboxArguments(api.sandbox, ['true']);
    const pairs = args
      .slice(0, -1)
      .map((arg, index) => `${arg} ${args[index + 1]}`);
    assert.ok(pairs.includes('--remount-ro /'), args.join(' '));
    assert.ok(pairs.includes('--remount-ro /dev'), args.join(' '));
  });

  test('read-only run - writes outside /app rejected', async () => {
    // None of these is an emptyDir mount, so each write must fail. /home
    // does not exist, so creating it must fail as well.
    for (const path of ['/dev/probe', '/probe', '/etc/probe', '/home/probe']) {
      const folder = JSON.stringify(dirname(path));
      const script = `const fs = require('fs'); if (!fs.existsSync(${folder})) fs.mkdirSync(${folder}); fs.writeFileSync(${JSON.stringify(path)}, 'x')`;
      const result = await runSandboxed(api.sandbox, [
        process.execPath,
        '-e',
        script,
      ]);
      assert.notEqual(result.code, 0, `${path} was writable`);
      assert.match(result.output, /EROFS|EACCES/, path);
    }
  });

  test('read-only run - emptyDir paths writable', async () => {
    for (const plan of [api, web]) {
      for (const path of plan.sandbox.writablePaths) {
        const script = `require('fs').writeFileSync(${JSON.stringify(`${path}/probe`)}, 'x')`;
        const result = await runSandboxed(plan.sandbox, [
          process.execPath,
          '-e',
          script,
        ]);
        assert.equal(result.code, 0, `${path}: ${result.output}`);
      }
    }
  });

  test('read-only run - runs as manifest UID', async () => {
    const script = 'console.log(`${process.getuid()}:${process.getgid()}`)';
    const result = await runSandboxed(api.sandbox, [
      process.execPath,
      '-e',
      script,
    ]);
    assert.equal(result.output.trim(), '10001:10001');
  });

  test('read-only run - migrations apply read-only', async () => {
    await withDatabase(serverUrl as string, (client) =>
      client.query(`CREATE DATABASE ${client.escapeIdentifier(databaseName)}`),
    );
    databaseCreated = true;

    const result = await runSandboxed(
      migrate.sandbox,
      migrate.container.command,
    );
    assert.equal(result.code, 0, result.output);
  });

  test('read-only run - purchase through web and api', async () => {
    assert.ok(databaseCreated, 'the migration test must run first');

    apiProcess = startSandboxed(api.sandbox, apiCommand);
    children.push(apiProcess);
    apiProcess.stdout?.on('data', (chunk) => (output += `[api] ${chunk}`));
    apiProcess.stderr?.on('data', (chunk) => (output += `[api] ${chunk}`));
    await waitForHttp(
      `${apiUrl}${api.container.readinessProbe.httpGet.path}`,
      apiProcess,
      logs,
    );

    webProcess = startSandboxed(web.sandbox, webCommand);
    children.push(webProcess);
    webProcess.stdout?.on('data', (chunk) => (output += `[web] ${chunk}`));
    webProcess.stderr?.on('data', (chunk) => (output += `[web] ${chunk}`));
    await waitForHttp(`${webUrl}/`, webProcess, logs);

    // An administrator creates a product through the API.
    const password = `pw-${randomBytes(12).toString('hex')}`;
    const adminEmail = `admin-${randomUUID()}@deploy.test`;
    const customerEmail = `customer-${randomUUID()}@deploy.test`;
    const postJson = (
      url: string,
      body: unknown,
      headers: Record<string, string> = {},
    ) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });

    for (const email of [adminEmail, customerEmail]) {
      const registered = await postJson(`${apiUrl}/api/auth/register`, {
        email,
        password,
        name: 'Deploy Test',
      });
      assert.ok(
        registered.ok,
        `register ${email}: ${registered.status} ${await registered.text()}`,
      );
    }
    const databaseUrl = api.sandbox.env.DATABASE_URL as string;
    await withDatabase(databaseUrl, (client) =>
      client.query(`UPDATE users SET role = 'admin' WHERE email = $1`, [
        adminEmail,
      ]),
    );

    const login = async (email: string): Promise<string> => {
      const response = await postJson(`${apiUrl}/api/auth/login`, {
        email,
        password,
      });
      assert.equal(
        response.status,
        200,
        `login ${email}: ${await response.clone().text()}`,
      );
      return ((await response.json()) as { accessToken: string }).accessToken;
    };
    const adminToken = await login(adminEmail);
    const asAdmin = { authorization: `Bearer ${adminToken}` };

    const slugSuffix = randomBytes(4).toString('hex');
    const category = await postJson(
      `${apiUrl}/api/admin/categories`,
      { name: 'Lamps', slug: `lamps-${slugSuffix}` },
      asAdmin,
    );
    assert.equal(category.status, 201, await category.clone().text());
    const categoryId = ((await category.json()) as { id: string }).id;

    const product = await postJson(
      `${apiUrl}/api/admin/products`,
      {
        sku: `LAMP-${slugSuffix}`,
        slug: `desk-lamp-${slugSuffix}`,
        name: 'Desk lamp',
        priceCents: 2599,
        stock: 5,
        status: 'active',
        featured: true,
        categoryId,
      },
      asAdmin,
    );
    assert.equal(product.status, 201, await product.clone().text());
    const { id: productId, slug } = (await product.json()) as {
      id: string;
      slug: string;
    };

    // The customer browses and buys through the storefront.
    const productPage = await fetch(`${webUrl}/products/${slug}`);
    assert.equal(productPage.status, 200);
    assert.match(await productPage.text(), /Desk lamp/);

    const customerToken = await login(customerEmail);
    const asCustomer = {
      cookie: `__Host-shop_access=${customerToken}`,
      origin: webUrl,
    };
    const added = await postJson(
      `${webUrl}/api/cart/items`,
      { productId, quantity: 2 },
      asCustomer,
    );
    assert.ok(
      added.ok,
      `add to cart: ${added.status} ${await added.clone().text()}`,
    );

    const checkout = await postJson(
      `${webUrl}/api/orders`,
      {
        shippingAddress: {
          fullName: 'Deploy Test',
          line1: '1 Main Street',
          city: 'Springfield',
          postalCode: '12345',
          country: 'DE',
        },
        payment: { method: 'mock_card' },
      },
      { ...asCustomer, 'idempotency-key': randomUUID() },
    );
    assert.equal(checkout.status, 201, await checkout.clone().text());
    const order = (await checkout.json()) as {
      number: string;
      totalCents: number;
    };
    assert.match(order.number, /^SO-\d{4}-\d{6}$/);

    const fetched = await fetch(`${webUrl}/api/orders/${order.number}`, {
      headers: asCustomer,
    });
    assert.equal(fetched.status, 200);

    // Both servers survived, and neither logged a failed write.
    assert.equal(apiProcess.exitCode, null, logs());
    assert.equal(webProcess.exitCode, null, logs());
    assert.doesNotMatch(output, /EROFS|read-only file system/i);
  });

  test('read-only run - api answers its probes', async () => {
    assert.ok(apiProcess, 'the purchase test must start the API first');
    for (const probe of [
      api.container.livenessProbe,
      api.container.readinessProbe,
    ]) {
      const response = await fetch(`${apiUrl}${probe.httpGet.path}`);
      assert.equal(response.status, 200, probe.httpGet.path);
    }
  });

  test('read-only run - web answers its probes', async () => {
    assert.ok(webProcess, 'the purchase test must start the storefront first');
    for (const probe of [
      web.container.livenessProbe,
      web.container.readinessProbe,
    ]) {
      const response = await fetch(`${webUrl}${probe.httpGet.path}`);
      assert.equal(response.status, 200, probe.httpGet.path);
    }
  });
});
