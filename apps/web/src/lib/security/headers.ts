import STATIC_SECURITY_HEADERS from './static-headers.json';

/**
 * Security headers that do not depend on the request. next.config.ts sends
 * them on every response, 404 and error pages included. The per-request
 * Content-Security-Policy is added by src/proxy.ts. The list lives in
 * static-headers.json because server.mjs, which runs without TypeScript,
 * sends the same headers on the responses it rejects before Next.js.
 */
export function staticSecurityHeaders(): { key: string; value: string }[] {
  return STATIC_SECURITY_HEADERS.map(({ key, value }) => ({ key, value }));
}
