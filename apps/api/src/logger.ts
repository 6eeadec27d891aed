import type { FastifyServerOptions } from 'fastify';

import type { AppConfig } from './config.js';

const SECRET_FIELDS = [
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
];

/**
 * Log paths replaced by "[Redacted]". pino matches fixed paths, so each
 * secret field is listed at the top level and up to three levels deep.
 */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-load-test-bypass"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  ...SECRET_FIELDS.flatMap((field) => [
    field,
    `*.${field}`,
    `*.*.${field}`,
    `*.*.*.${field}`,
  ]),
];

/** Builds Fastify's pino options: level from the config, secrets redacted. */
export function createLoggerOptions(
  config: AppConfig,
): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: { paths: REDACTED_LOG_PATHS, censor: '[Redacted]' },
  };
}
