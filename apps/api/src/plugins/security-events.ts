import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

// The stable names of the security events. Alerting rules and dashboards
// match on the `event` field, so a name never changes once shipped.
export const SECURITY_EVENTS = [
  'login_success',
  'login_failed',
  'register_success',
  'register_rejected',
  'logout',
  'token_rejected',
  'token_reuse_detected',
  'password_changed',
  'access_denied',
  'rate_limit_exceeded',
  'rate_limit_bypass_used',
  'account_locked',
] as const;

export type SecurityEventName = (typeof SECURITY_EVENTS)[number];

export interface SecurityEventFields {
  userId?: string;
  email?: string;
  reason?: string;
  [field: string]: unknown;
}

declare module 'fastify' {
  interface FastifyRequest {
    securityEvent(event: SecurityEventName, fields?: SecurityEventFields): void;
  }
}

// Failures are `warn` so that an alert can watch that level alone.
const WARN_EVENTS = new Set<SecurityEventName>([
  'login_failed',
  'register_rejected',
  'token_rejected',
  'token_reuse_detected',
  'access_denied',
  'rate_limit_exceeded',
  'rate_limit_bypass_used',
  'account_locked',
]);

// Field names that must never reach a log line, whatever a caller passes.
const SECRET_FIELD = /password|token|secret|authorization|cookie/i;

/**
 * Masks an email address for logs: `jane@example.com` becomes
 * `j***@example.com`, enough to correlate events without storing the
 * address itself.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');

  if (at <= 0) {
    return '***';
  }

  return `${email[0]}***${email.slice(at)}`;
}

function currentUserId(request: FastifyRequest): string | undefined {
  const user = (request as { user?: { id?: unknown } }).user;

  return typeof user?.id === 'string' ? user.id : undefined;
}

function writeSecurityEvent(
  this: FastifyRequest,
  event: SecurityEventName,
  fields: SecurityEventFields = {},
): void {
  const { email, userId, ...rest } = fields;
  const safeFields: Record<string, unknown> = {};

  for (const [name, value] of Object.entries(rest)) {
    if (!SECRET_FIELD.test(name)) {
      safeFields[name] = value;
    }
  }

  const line = {
    ...safeFields,
    event,
    requestId: this.id,
    ip: this.ip,
    userId: userId ?? currentUserId(this) ?? null,
    email: typeof email === 'string' ? maskEmail(email) : undefined,
    timestamp: new Date().toISOString(),
  };

  if (WARN_EVENTS.has(event)) {
    this.log.warn(line, 'security event');
  } else {
    this.log.info(line, 'security event');
  }
}

/**
 * Decorates every request with `securityEvent(event, fields)`, which writes
 * one structured log line with the event name, request id, client IP,
 * user id and UTC time. Emails are masked and secret-looking fields are
 * dropped before the line is written.
 */
export default fp(
  async function securityEvents(app) {
    app.decorateRequest('securityEvent', writeSecurityEvent);
  },
  { name: 'security-events', fastify: '5.x' },
);
