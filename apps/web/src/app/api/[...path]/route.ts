import { cookies, headers } from 'next/headers';
import type { NextRequest } from 'next/server';

import { LOAD_TEST_BYPASS_HEADER } from '@/lib/api/client';
import { getConfig } from '@/lib/config';
import { expectedOriginFor, isSameOriginRequest } from '@/lib/security/csrf';
import { ACCESS_COOKIE } from '@/lib/session/cookies';

/**
 * Forwards /api/* from the browser to the API, so the browser only ever
 * talks to the storefront origin. The access token is taken from the
 * HttpOnly cookie and sent as a Bearer credential. /api/auth/* is not
 * forwarded: its responses contain tokens, which must never reach
 * JavaScript, so sign-in and sign-out go through server actions instead.
 * Only the roots in FORWARDED_ROOTS are forwarded; every other path is 404.
 */
const MAX_BODY_BYTES = 1_048_576;
/**
 * First path segments that the browser code needs: the catalog, search and
 * its suggestions, product images, the cart and orders. The OpenAPI
 * document and the admin routes stay server-only: admin pages call the API
 * from the server, so the browser door need not list them.
 */
const FORWARDED_ROOTS: ReadonlySet<string> = new Set([
  'products',
  'categories',
  'search',
  'images',
  'cart',
  'orders',
]);
const FORWARDED_RESPONSE_HEADERS = [
  'content-type',
  // The API's `default-src 'none'` on images keeps a script inside an SVG
  // from running when the image is opened directly.
  'content-security-policy',
  'cache-control',
  'etag',
  'last-modified',
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
];

async function forward(
  request: NextRequest,
  path: string[],
): Promise<Response> {
  const config = getConfig();
  const requestHeaders = await headers();

  if (!FORWARDED_ROOTS.has(path[0] ?? '')) {
    return jsonError(404, 'NOT_FOUND', 'Route not found');
  }

  const unsafe = !['GET', 'HEAD'].includes(request.method);
  if (unsafe) {
    const protocol =
      requestHeaders.get('x-forwarded-proto') === 'https' ? 'https:' : 'http:';
    const sameOrigin = isSameOriginRequest({
      method: request.method,
      origin: requestHeaders.get('origin'),
      secFetchSite: requestHeaders.get('sec-fetch-site'),
      expectedOrigin: expectedOriginFor(
        config.WEB_ORIGIN,
        requestHeaders.get('host'),
        protocol,
      ),
    });
    if (!sameOrigin)
      return jsonError(403, 'FORBIDDEN', 'Cross-site request rejected');
  }

  const target = new URL(
    `/api/${path.map(encodeURIComponent).join('/')}`,
    config.API_URL,
  );
  target.search = request.nextUrl.search;

  const upstreamHeaders = new Headers({
    accept: request.headers.get('accept') ?? '*/*',
  });
  const clientIp = requestHeaders.get('x-forwarded-for');
  if (clientIp) upstreamHeaders.set('x-forwarded-for', clientIp);
  const token = (await cookies()).get(ACCESS_COOKIE)?.value;
  if (token) upstreamHeaders.set('authorization', `Bearer ${token}`);
  const idempotencyKey = request.headers.get('idempotency-key');
  if (idempotencyKey) upstreamHeaders.set('idempotency-key', idempotencyKey);
  // Passed on unchanged: the API checks the token and logs every use.
  const loadTestBypass = request.headers.get(LOAD_TEST_BYPASS_HEADER);
  if (loadTestBypass)
    upstreamHeaders.set(LOAD_TEST_BYPASS_HEADER, loadTestBypass);

  let body: ArrayBuffer | undefined;
  if (unsafe) {
    const contentType = request.headers.get('content-type');
    if (contentType) upstreamHeaders.set('content-type', contentType);
    body = await request.arrayBuffer();
    if (body.byteLength > MAX_BODY_BYTES) {
      return jsonError(413, 'PAYLOAD_TOO_LARGE', 'Request body exceeds 1 MiB');
    }
  }

  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers: upstreamHeaders,
      body,
      redirect: 'manual',
      cache: 'no-store',
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    console.error(
      JSON.stringify({
        event: 'api_forward_failed',
        path: target.pathname,
        error: String(error),
      }),
    );
    return jsonError(503, 'SERVICE_UNAVAILABLE', 'The API is unavailable');
  }

  const responseHeaders = new Headers();
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value) responseHeaders.set(name, value);
  }
  if (token && !path[0]?.startsWith('images'))
    responseHeaders.set('cache-control', 'no-store');

  return new Response(upstream.body, {
    status: upstream.status,
    headers: responseHeaders,
  });
}

function jsonError(status: number, code: string, message: string): Response {
  // Response.json() sends no charset, and every text response names one.
  return new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: {
      'cache-control': 'no-store',
      'content-type': 'application/json; charset=utf-8',
    },
  });
}

type Context = { params: Promise<{ path: string[] }> };

export async function GET(request: NextRequest, context: Context) {
  return forward(request, (await context.params).path);
}
export const HEAD = GET;
export async function POST(request: NextRequest, context: Context) {
  return forward(request, (await context.params).path);
}
export const PATCH = POST;
export const PUT = POST;
export const DELETE = POST;
