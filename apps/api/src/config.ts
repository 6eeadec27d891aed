import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

// This file sits in apps/api/src (tsx) or apps/api/dist (build), so the
// repository root is three folders up either way.
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Minimum length of the JWT signing secret, in UTF-8 bytes (256 bits for HS256). */
export const MIN_JWT_SECRET_BYTES = 32;

/** Lowest bcrypt cost accepted outside tests. */
export const MIN_BCRYPT_COST = 12;

// Secrets that appear in tutorials and example files. A deployment that
// copied one of them has a secret that attackers can guess.
const KNOWN_EXAMPLE_SECRETS = new Set([
  'secret',
  'changeme',
  'change-me',
  'supersecret',
  'your-secret-key',
  'your-256-bit-secret',
  'jwt-secret',
  'development-secret-do-not-use-in-production',
  'change-me-to-a-long-random-secret-of-32-bytes-or-more',
  'replace-with-at-least-32-random-bytes-of-secret-data',
]);

function integer(min: number, max: number) {
  return z.coerce
    .number({ error: `expected an integer from ${min} to ${max}` })
    .int({ error: `expected an integer from ${min} to ${max}` })
    .min(min, { error: `expected an integer from ${min} to ${max}` })
    .max(max, { error: `expected an integer from ${min} to ${max}` });
}

function postgresUrl() {
  return z
    .url({ error: 'expected a postgres:// or postgresql:// URL' })
    .refine((value) => /^postgres(ql)?:\/\//.test(value), {
      error: 'expected a postgres:// or postgresql:// URL',
    });
}

/** Schema of the environment variables the API reads, with their defaults. */
export const configSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'test', 'production'], {
      error: 'expected development, test or production',
    })
    .default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: integer(0, 65535).default(4000),
  DATABASE_URL: postgresUrl().optional(),
  DATABASE_POOL_SIZE: integer(1, 100).default(10),
  REDIS_URL: z
    .url({ error: 'expected a redis:// or rediss:// URL' })
    .refine((value) => /^rediss?:\/\//.test(value), {
      error: 'expected a redis:// or rediss:// URL',
    })
    .optional(),
  REDIS_KEY_PREFIX: z.string().max(64).default('shop:'),
  JWT_SECRET: z.string().optional(),
  JWT_ISSUER: z.string().min(1).max(200).default('hardened-shop'),
  JWT_AUDIENCE: z.string().min(1).max(200).default('hardened-shop-api'),
  ACCESS_TOKEN_TTL_SECONDS: integer(30, 900).default(900),
  REFRESH_TOKEN_TTL_DAYS: integer(1, 90).default(30),
  BCRYPT_COST: integer(4, 15).default(12),
  TRUST_PROXY_HOPS: integer(0, 10).default(0),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'expected fatal, error, warn, info, debug, trace or silent',
    })
    .default('info'),
  CHECKOUT_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, { error: 'expected an ISO 4217 code such as EUR' })
    .default('EUR'),
  SHIPPING_FLAT_CENTS: integer(0, 100_000).default(499),
  FREE_SHIPPING_THRESHOLD_CENTS: integer(0, 10_000_000).default(5000),
  TAX_RATE_BASIS_POINTS: integer(0, 10_000).default(2000),
  EMBEDDED_DB_DIR: z.string().min(1).default(`${repositoryRoot}.data/pglite`),
  EMBEDDED_DB_PORT: integer(1024, 65535).default(54329),
  RATE_LIMIT_BYPASS_TOKEN: z
    .string()
    .min(32, { error: 'expected at least 32 characters when set' })
    .optional(),
});

type Environment = z.infer<typeof configSchema>;

/** Validated configuration of one API process. */
export interface AppConfig {
  nodeEnv: Environment['NODE_ENV'];
  host: string;
  port: number;
  databaseUrl?: string;
  databasePoolSize: number;
  redisUrl?: string;
  /** Prefix of every Redis key, so tests and deployments can share one Redis. */
  redisKeyPrefix: string;
  jwt: {
    secret: string;
    /** True when no JWT_SECRET was set and a random one was generated. */
    secretGenerated: boolean;
    issuer: string;
    audience: string;
    accessTokenTtlSeconds: number;
  };
  refreshTokenTtlDays: number;
  /** bcrypt work factor; below 12 only with NODE_ENV=test, to keep tests fast. */
  bcryptCost: number;
  trustProxyHops: number;
  logLevel: Environment['LOG_LEVEL'];
  checkout: {
    currency: string;
    shippingFlatCents: number;
    freeShippingThresholdCents: number;
    taxRateBasisPoints: number;
  };
  embeddedDb: { dataDir: string; port: number };
  rateLimitBypassToken?: string;
}

/** Raised when the environment does not describe a valid configuration. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

function checkJwtSecret(
  secret: string | undefined,
  nodeEnv: Environment['NODE_ENV'],
): string | undefined {
  const fix = `set it to at least ${MIN_JWT_SECRET_BYTES} random bytes, for example the output of \`openssl rand -base64 48\``;

  if (secret === undefined) {
    return nodeEnv === 'production' ? `JWT_SECRET: missing; ${fix}` : undefined;
  }
  if (Buffer.byteLength(secret, 'utf8') < MIN_JWT_SECRET_BYTES) {
    return `JWT_SECRET: too short (${Buffer.byteLength(secret, 'utf8')} bytes); ${fix}`;
  }
  if (KNOWN_EXAMPLE_SECRETS.has(secret.trim().toLowerCase())) {
    return `JWT_SECRET: a published example value; ${fix}`;
  }
  return undefined;
}

/**
 * Builds the configuration from environment variables.
 * Throws ConfigError naming every invalid variable and the expected value.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // A variable that is set but empty (`PORT=` in a shell or an env file)
  // counts as unset, so it gets its default instead of coercing to 0.
  const setVariables = Object.fromEntries(
    Object.entries(env).filter(
      ([, value]) => value !== undefined && value !== '',
    ),
  );
  const parsed = configSchema.safeParse(setVariables);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map(
        (issue) => `${issue.path.join('.')}: ${issue.message}`,
      );

  // Checked even when other variables are invalid, so one run reports every
  // problem. An invalid NODE_ENV gets the strictest rules.
  const nodeEnv = parsed.success
    ? parsed.data.NODE_ENV
    : (configSchema.shape.NODE_ENV.safeParse(setVariables.NODE_ENV).data ??
      'production');
  const secretProblem = checkJwtSecret(setVariables.JWT_SECRET, nodeEnv);
  if (secretProblem) problems.push(secretProblem);

  if (
    parsed.success &&
    parsed.data.BCRYPT_COST < MIN_BCRYPT_COST &&
    nodeEnv !== 'test'
  ) {
    problems.push(
      `BCRYPT_COST: expected at least ${MIN_BCRYPT_COST} outside NODE_ENV=test (got ${parsed.data.BCRYPT_COST})`,
    );
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const values = parsed.data;

  return {
    nodeEnv: values.NODE_ENV,
    host: values.HOST,
    port: values.PORT,
    databaseUrl: values.DATABASE_URL,
    databasePoolSize: values.DATABASE_POOL_SIZE,
    redisUrl: values.REDIS_URL,
    redisKeyPrefix: values.REDIS_KEY_PREFIX,
    jwt: {
      // Outside production a missing secret is replaced by a random one, so
      // tokens do not survive a restart and no fixed secret exists anywhere.
      secret: values.JWT_SECRET ?? randomBytes(48).toString('base64url'),
      secretGenerated: values.JWT_SECRET === undefined,
      issuer: values.JWT_ISSUER,
      audience: values.JWT_AUDIENCE,
      accessTokenTtlSeconds: values.ACCESS_TOKEN_TTL_SECONDS,
    },
    refreshTokenTtlDays: values.REFRESH_TOKEN_TTL_DAYS,
    bcryptCost: values.BCRYPT_COST,
    trustProxyHops: values.TRUST_PROXY_HOPS,
    logLevel: values.LOG_LEVEL,
    checkout: {
      currency: values.CHECKOUT_CURRENCY,
      shippingFlatCents: values.SHIPPING_FLAT_CENTS,
      freeShippingThresholdCents: values.FREE_SHIPPING_THRESHOLD_CENTS,
      taxRateBasisPoints: values.TAX_RATE_BASIS_POINTS,
    },
    embeddedDb: {
      dataDir: values.EMBEDDED_DB_DIR,
      port: values.EMBEDDED_DB_PORT,
    },
    rateLimitBypassToken: values.RATE_LIMIT_BYPASS_TOKEN,
  };
}
