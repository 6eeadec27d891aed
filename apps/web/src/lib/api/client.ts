import { headers as requestHeaders } from 'next/headers';

import { getConfig } from '../config';

import { ApiError, toApiError } from './errors';

export interface ApiRequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  /** Access token sent as a Bearer credential. */
  accessToken?: string | null;
  /** The shopper's IP, forwarded as the single X-Forwarded-For hop. */
  clientIp?: string | null;
  idempotencyKey?: string;
  /** Base URL of the API; defaults to API_URL. */
  baseUrl?: string;
  timeoutMs?: number;
  /**
   * Value of the client's X-Load-Test-Bypass header. When omitted, the
   * header of the current request is used, if there is one.
   */
  loadTestBypass?: string | null;
}

/** Header with which load tests skip the API's rate limits. */
export const LOAD_TEST_BYPASS_HEADER = 'x-load-test-bypass';

/**
 * Returns the X-Load-Test-Bypass header of the request being rendered, or
 * null outside a request (for example in unit tests). The storefront passes
 * it on unchanged and never checks or stores it: the API compares it with
 * its own token and logs every use.
 */
async function currentLoadTestBypass(): Promise<string | null> {
  try {
    return (await requestHeaders()).get(LOAD_TEST_BYPASS_HEADER);
  } catch {
    return null;
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Calls the API and returns the parsed JSON body. Every failure becomes an
 * ApiError: an unreachable API or a timeout is SERVICE_UNAVAILABLE (503),
 * an error response keeps the API's code. 204 responses return undefined.
 */
export async function apiRequest<T>(
  path: string,
  options: ApiRequestOptions = {},
): Promise<T> {
  const baseUrl = options.baseUrl ?? getConfig().API_URL;
  const headers: Record<string, string> = { accept: 'application/json' };

  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.accessToken)
    headers.authorization = `Bearer ${options.accessToken}`;
  if (options.clientIp) headers['x-forwarded-for'] = options.clientIp;
  if (options.idempotencyKey)
    headers['idempotency-key'] = options.idempotencyKey;
  const loadTestBypass =
    options.loadTestBypass === undefined
      ? await currentLoadTestBypass()
      : options.loadTestBypass;
  if (loadTestBypass) headers[LOAD_TEST_BYPASS_HEADER] = loadTestBypass;

  let response: Response;
  try {
    response = await fetch(new URL(path, baseUrl), {
      method: options.method ?? 'GET',
      headers,
      body:
        options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store',
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (cause) {
    throw new ApiError(
      503,
      'SERVICE_UNAVAILABLE',
      `API request to ${path} failed`,
      {
        cause,
      },
    );
  }

  if (response.status === 204) return undefined as T;

  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw toApiError(response.status, body);
  if (body === null) {
    throw new ApiError(
      502,
      'INTERNAL',
      `API returned an invalid body for ${path}`,
    );
  }

  return body as T;
}

/** Builds a query string from defined, non-empty values. */
export function toQuery(
  params: Record<string, string | number | boolean | undefined | null>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
