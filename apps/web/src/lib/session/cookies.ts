/**
 * Session cookies. The `__Host-` prefix makes the browser reject them unless
 * they are Secure, have Path=/ and no Domain, so a sibling subdomain cannot
 * plant or overwrite them. Browsers treat loopback addresses as secure
 * contexts, so Chromium (checked with version 156) also stores them from
 * http://127.0.0.1, which development and the browser tests use.
 */
export const ACCESS_COOKIE = '__Host-shop_access';
export const REFRESH_COOKIE = '__Host-shop_refresh';

/** Lifetime of the refresh cookie in seconds (14 days); the API may end it sooner. */
export const REFRESH_COOKIE_MAX_AGE = 14 * 24 * 60 * 60;

/** Seconds by which the access cookie expires before its token, so a request rarely carries an expired token. */
const ACCESS_EXPIRY_MARGIN = 30;

export interface SessionCookieOptions {
  httpOnly: true;
  secure: true;
  sameSite: 'lax';
  path: '/';
  maxAge: number;
  expires?: Date;
}

/** Returns the flags every session cookie is set with. */
export function sessionCookieOptions(maxAge: number): SessionCookieOptions {
  return { httpOnly: true, secure: true, sameSite: 'lax', path: '/', maxAge };
}

/**
 * Returns the flags that delete a session cookie. Expires in the past comes
 * along with Max-Age=0 because Next.js 16 copies cookies set in the proxy
 * onto a redirect response without their Max-Age=0. With only Max-Age, the
 * copy would be an empty session cookie that the browser keeps.
 */
export function expiredSessionCookieOptions(): SessionCookieOptions {
  return { ...sessionCookieOptions(0), expires: new Date(0) };
}

/** Returns the access cookie lifetime for a token that lives `expiresIn` seconds. */
export function accessCookieMaxAge(expiresIn: number): number {
  return Math.max(1, expiresIn - ACCESS_EXPIRY_MARGIN);
}
