import { NextResponse, type NextRequest } from 'next/server';

import { LOAD_TEST_BYPASS_HEADER } from '@/lib/api/client';
import { getConfig } from '@/lib/config';
import { PROBE_PATHS } from '@/lib/probes/response';
import { resolveClientIp } from '@/lib/security/client-ip';
import { buildCsp, createNonce } from '@/lib/security/csp';
import { expectedOriginFor, isSameOriginRequest } from '@/lib/security/csrf';
import {
  ACCESS_COOKIE,
  REFRESH_COOKIE,
  REFRESH_COOKIE_MAX_AGE,
  accessCookieMaxAge,
  expiredSessionCookieOptions,
  sessionCookieOptions,
} from '@/lib/session/cookies';
import { refreshSession } from '@/lib/session/refresh';

/**
 * Runs before every page, route handler and server action:
 * 1. rejects cross-site state-changing requests with 403,
 * 2. replaces X-Forwarded-For with the one client address it trusts,
 * 3. refreshes an expired access token through the rotating refresh token,
 * 4. sets a fresh CSP nonce, which Next.js reads from the request's
 *    Content-Security-Policy header and puts on its own inline scripts.
 * Pages and route handlers check the session again themselves, so skipping
 * this file would not grant access to anything.
 * The probe routes /health and /ready pass through untouched: they read no
 * session, and a probe must not trigger a token refresh against the API.
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  if (PROBE_PATHS.has(request.nextUrl.pathname)) return NextResponse.next();

  const config = getConfig();
  // Next.js replaces process.env.NODE_ENV at build time, so a production
  // build never relaxes the policy, whatever NODE_ENV the server runs with.
  const development = process.env.NODE_ENV === 'development';
  const nonce = createNonce();
  const csp = buildCsp({ nonce, development });

  const rejection = rejectUnroutable(request);
  if (rejection) return withPageHeaders(rejection, csp);

  const expectedOrigin = expectedOriginFor(
    config.WEB_ORIGIN,
    request.headers.get('host'),
    request.nextUrl.protocol,
  );
  const sameOrigin = isSameOriginRequest({
    method: request.method,
    origin: request.headers.get('origin'),
    secFetchSite: request.headers.get('sec-fetch-site'),
    expectedOrigin,
  });
  if (!sameOrigin) {
    return withPageHeaders(
      new NextResponse('Forbidden: cross-site request rejected.', {
        status: 403,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      }),
      csp,
    );
  }

  const requestHeaders = new Headers(request.headers);
  const clientIp = resolveClientIp(
    request.headers.get('x-forwarded-for'),
    config.WEB_TRUST_PROXY_HOPS,
    null,
  );
  // With no trusted proxy, Next.js fills the header from the socket address
  // once it is removed, so a client cannot choose its own rate-limit key.
  if (clientIp) requestHeaders.set('x-forwarded-for', clientIp);
  else requestHeaders.delete('x-forwarded-for');

  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', csp);

  const refreshed = await refreshIfExpired(request, clientIp);
  if (refreshed === 'signed-out') {
    removeCookie(requestHeaders, request, [ACCESS_COOKIE, REFRESH_COOKIE]);
  } else if (refreshed) {
    setCookieHeader(requestHeaders, request, {
      [ACCESS_COOKIE]: refreshed.accessToken,
      [REFRESH_COOKIE]: refreshed.refreshToken,
    });
  }

  const response = NextResponse.next({ request: { headers: requestHeaders } });

  if (refreshed === 'signed-out') {
    response.cookies.set(ACCESS_COOKIE, '', expiredSessionCookieOptions());
    response.cookies.set(REFRESH_COOKIE, '', expiredSessionCookieOptions());
  } else if (refreshed) {
    response.cookies.set(
      ACCESS_COOKIE,
      refreshed.accessToken,
      sessionCookieOptions(accessCookieMaxAge(refreshed.expiresIn)),
    );
    response.cookies.set(
      REFRESH_COOKIE,
      refreshed.refreshToken,
      sessionCookieOptions(REFRESH_COOKIE_MAX_AGE),
    );
  }

  if (request.nextUrl.pathname.startsWith('/api/images/')) return response;
  return withPageHeaders(response, csp);
}

// Pages answer GET and HEAD, and POST for server actions and form posts.
// The /api/* forwarder lists its own methods.
const PAGE_METHODS = ['GET', 'HEAD', 'POST'];

/**
 * Returns a 400 for a path that is not valid percent-encoding (`%ff`), and
 * a 405 for a page request with another method, such as PUT or PROPFIND.
 * Without this, Next.js renders the page for any method and fails with a
 * bare 500 when it decodes the route parameters.
 */
function rejectUnroutable(request: NextRequest): NextResponse | null {
  try {
    decodeURIComponent(request.nextUrl.pathname);
  } catch {
    return plainText(400, 'Bad request: the URL is not valid.');
  }

  const isApi = request.nextUrl.pathname.startsWith('/api/');
  if (!isApi && !PAGE_METHODS.includes(request.method)) {
    const response = plainText(405, 'Method not allowed.');
    response.headers.set('allow', PAGE_METHODS.join(', '));
    return response;
  }
  return null;
}

function plainText(status: number, text: string): NextResponse {
  return new NextResponse(text, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  });
}

function withPageHeaders(response: NextResponse, csp: string): NextResponse {
  response.headers.set('content-security-policy', csp);
  // Every page can show personal data (the header shows who is signed in),
  // so nothing rendered here may be stored by a browser or shared cache.
  response.headers.set('cache-control', 'no-store');
  return response;
}

type RefreshOutcome =
  | { accessToken: string; refreshToken: string; expiresIn: number }
  | 'signed-out'
  | null;

async function refreshIfExpired(
  request: NextRequest,
  clientIp: string | null,
): Promise<RefreshOutcome> {
  if (request.cookies.has(ACCESS_COOKIE)) return null;

  const refreshToken = request.cookies.get(REFRESH_COOKIE)?.value;
  if (!refreshToken) return null;

  try {
    const pair = await refreshSession(
      refreshToken,
      clientIp,
      request.headers.get(LOAD_TEST_BYPASS_HEADER),
    );
    return pair ?? 'signed-out';
  } catch (error) {
    // The API is unreachable: serve the page as signed out for now and keep
    // the refresh cookie, so the session resumes once the API is back.
    console.error(
      JSON.stringify({ event: 'session_refresh_failed', error: String(error) }),
    );
    return null;
  }
}

function setCookieHeader(
  headers: Headers,
  request: NextRequest,
  values: Record<string, string>,
): void {
  const jar = new Map(request.cookies.getAll().map((c) => [c.name, c.value]));
  for (const [name, value] of Object.entries(values)) jar.set(name, value);
  headers.set('cookie', serializeCookies(jar));
}

function removeCookie(
  headers: Headers,
  request: NextRequest,
  names: string[],
): void {
  const jar = new Map(request.cookies.getAll().map((c) => [c.name, c.value]));
  for (const name of names) jar.delete(name);
  headers.set('cookie', serializeCookies(jar));
}

function serializeCookies(jar: Map<string, string>): string {
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

export const config = {
  // Static build output needs neither a nonce nor a session.
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
