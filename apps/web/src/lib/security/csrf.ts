const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CsrfInput {
  method: string;
  /** The Origin request header, or null when absent. */
  origin: string | null;
  /** The Sec-Fetch-Site request header, or null when absent. */
  secFetchSite: string | null;
  /** The storefront's own origin, such as https://shop.example. */
  expectedOrigin: string;
}

/**
 * Decides whether a request may change state. Safe methods always pass.
 * An unsafe method passes only when the browser states that the request
 * comes from the storefront itself: Sec-Fetch-Site must be same-origin when
 * sent, and Origin must equal the storefront origin. A request with neither
 * header is rejected, because every current browser sends Origin on POST, so
 * only a non-browser client or a very old browser omits both.
 */
export function isSameOriginRequest(input: CsrfInput): boolean {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return true;

  if (input.secFetchSite !== null && input.secFetchSite !== 'same-origin') {
    return false;
  }

  if (input.origin === null) return input.secFetchSite === 'same-origin';

  return (
    normalizeOrigin(input.origin) === normalizeOrigin(input.expectedOrigin)
  );
}

function normalizeOrigin(value: string): string | null {
  if (value === 'null') return null;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

/**
 * Derives the storefront origin from the configured WEB_ORIGIN, or from the
 * request's Host header and protocol when WEB_ORIGIN is unset.
 */
export function expectedOriginFor(
  configured: string | undefined,
  host: string | null,
  protocol: string,
): string {
  if (configured) return new URL(configured).origin;
  return `${protocol}//${host ?? 'invalid.invalid'}`;
}
