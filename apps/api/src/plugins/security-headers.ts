import fastifyHelmet from '@fastify/helmet';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

// The API serves JSON, its OpenAPI document and product images, so every
// source is its own origin. Images may also come from any HTTPS host or a
// data: URL. There is no 'unsafe-inline' and no other wildcard.
export const API_CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'https:', 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

// Browser features the API never needs, denied for any page that embeds
// one of its responses.
export const PERMISSIONS_POLICY =
  'camera=(), microphone=(), geolocation=(), payment=()';

export const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: API_CONTENT_SECURITY_POLICY,
  },
  // One year, the minimum the HSTS preload list accepts.
  strictTransportSecurity: {
    maxAge: 31_536_000,
    includeSubDomains: true,
    preload: true,
  },
  referrerPolicy: { policy: 'no-referrer' },
  crossOriginOpenerPolicy: { policy: 'same-origin' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
  xFrameOptions: { action: 'deny' },
} as const;

const applyHelmet = helmet(HELMET_OPTIONS);

/**
 * Writes the baseline headers onto a reply that bypassed the hooks, such
 * as the replies of Fastify's `frameworkErrors` handler for a malformed
 * URL.
 */
export function applySecurityHeaders(reply: FastifyReply): void {
  applyHelmet(reply.request.raw, reply.raw, () => {});
  reply.raw.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
}

/**
 * Sends the baseline headers and the API's error body for a request that
 * failed before routing, such as a malformed URL or an over-long path
 * parameter. Fastify calls it through its `frameworkErrors` option, and
 * its default reply for these errors has neither.
 */
export function handleFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  applySecurityHeaders(reply);
  reply
    .code(error.statusCode ?? 400)
    .header('Cache-Control', 'no-store')
    .send({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'The request URL is malformed.',
        requestId: request.id,
      },
    });
}

/**
 * Sets the baseline response headers (CSP, HSTS, nosniff, referrer,
 * permissions and cross-origin policies) on every response, errors
 * included. Helmet writes them in an `onRequest` hook straight onto the
 * raw response, so a later 4xx or 5xx reply keeps them. Register this
 * plugin before any plugin whose `onRequest` hook can reject a request.
 */
export default fp(
  async function securityHeaders(app) {
    await app.register(fastifyHelmet, HELMET_OPTIONS);

    app.addHook('onRequest', async (_request, reply) => {
      reply.raw.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    });

    // Node's HTTP server sends no `Server` header and Fastify no
    // `X-Powered-By`; removing them here keeps a dependency from adding one.
    app.addHook('onSend', async (_request, reply) => {
      reply.removeHeader('x-powered-by');
      reply.removeHeader('server');
    });
  },
  { name: 'security-headers', fastify: '5.x' },
);
