// Builds the whole API the way production does (every limit on) with its
// log lines captured, for the tests of the security controls.
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';

import type { FastifyInstance, FastifyPluginAsync } from 'fastify';

import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLoggerOptions } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

export type LogLine = Record<string, unknown> & {
  msg?: string;
  event?: string;
};

/** Every log line an app wrote, raw (as written) and parsed. */
export class LogCapture {
  readonly raw: string[] = [];

  readonly stream = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      this.raw.push(chunk.toString('utf8'));
      done();
    },
  });

  get lines(): LogLine[] {
    return this.raw.map((line) => JSON.parse(line) as LogLine);
  }

  events(name: string): LogLine[] {
    return this.lines.filter((line) => line.event === name);
  }
}

export interface SecurityTestApp {
  app: FastifyInstance;
  logs: LogCapture;
  close(): Promise<void>;
}

export interface SecurityTestAppOptions {
  /** Environment variables on top of the test defaults. */
  env?: Record<string, string>;
  /** Reuse a database, for two app instances on one data set. */
  database?: TestDatabase;
  /** Reuse a Redis key prefix, for two app instances sharing counters. */
  redisKeyPrefix?: string;
  /** Share a JWT secret between instances. */
  jwtSecret?: string;
  plugins?: FastifyPluginAsync[];
}

export async function startSecurityApp(
  options: SecurityTestAppOptions = {},
): Promise<SecurityTestApp> {
  const database = options.database ?? (await createTestDatabase());
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: database.url,
    REDIS_KEY_PREFIX:
      options.redisKeyPrefix ?? `test:security:${randomUUID()}:`,
    JWT_SECRET: options.jwtSecret ?? randomBytes(48).toString('base64url'),
    ...options.env,
  };

  if (process.env.REDIS_URL && env.REDIS_URL === undefined) {
    env.REDIS_URL = process.env.REDIS_URL;
  }

  const config = loadConfig(env);
  const logs = new LogCapture();
  const app = await buildApp({
    config,
    logger: Object.assign({}, createLoggerOptions(config), {
      stream: logs.stream,
    }),
    plugins: options.plugins,
  });
  await app.ready();

  return {
    app,
    logs,
    async close() {
      await app.close();

      if (!options.database) {
        await database.drop();
      }
    },
  };
}

let addressCounter = 0;

/**
 * Returns the next of 250 documentation addresses (RFC 5737), so that
 * requests of one test file do not share a per-address budget.
 */
export function nextAddress(): string {
  addressCounter += 1;

  return `198.51.100.${(addressCounter % 250) + 1}`;
}

export interface TestAccount {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/**
 * Registers and signs in an account, each from a fresh address so the
 * per-address limits of the test itself are not spent.
 */
export async function createAccount(
  app: FastifyInstance,
  fields: { email?: string; password?: string } = {},
): Promise<TestAccount> {
  const email = fields.email ?? `user-${randomUUID()}@example.com`;
  const password = fields.password ?? `pw-${randomBytes(12).toString('hex')}`;

  const registered = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    remoteAddress: nextAddress(),
    payload: { email, password, name: 'Test User' },
  });
  if (registered.statusCode !== 202) {
    throw new Error(
      `register failed: ${registered.statusCode} ${registered.body}`,
    );
  }

  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: nextAddress(),
    payload: { email, password },
  });
  if (login.statusCode !== 200) {
    throw new Error(`login failed: ${login.statusCode} ${login.body}`);
  }

  const tokens = login.json() as {
    accessToken: string;
    refreshToken: string;
    user: { id: string };
  };

  return {
    id: tokens.user.id,
    email,
    password,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
  };
}
