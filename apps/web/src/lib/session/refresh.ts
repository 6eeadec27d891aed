import { apiRequest } from '../api/client';
import { ApiError } from '../api/errors';
import type { TokenPair } from '../api/types';

/**
 * Refreshes that are in flight or finished a moment ago, by refresh token.
 * The API rotates refresh tokens and treats a second use of the same token
 * as theft, revoking the whole family. A page load can start several
 * requests at once (the document, prefetches), so requests that present the
 * same expired session share one refresh call instead of racing.
 * NOTE: this sharing is per process; replicas behind a load balancer
 * without sticky sessions can still race.
 */
const recentRefreshes = new Map<string, Promise<TokenPair | null>>();
const SHARE_WINDOW_MS = 10_000;

/**
 * Exchanges a refresh token for a new token pair. Returns null when the API
 * rejects the token (expired, revoked or reused); other failures throw.
 */
export function refreshSession(
  refreshToken: string,
  clientIp: string | null,
  loadTestBypass: string | null = null,
): Promise<TokenPair | null> {
  const existing = recentRefreshes.get(refreshToken);
  if (existing) return existing;

  const pending = apiRequest<TokenPair>('/api/auth/refresh', {
    method: 'POST',
    body: { refreshToken },
    clientIp,
    loadTestBypass,
  }).catch((error: unknown) => {
    if (
      error instanceof ApiError &&
      (error.status === 401 || error.status === 400)
    ) {
      return null;
    }
    recentRefreshes.delete(refreshToken);
    throw error;
  });

  recentRefreshes.set(refreshToken, pending);
  setTimeout(
    () => recentRefreshes.delete(refreshToken),
    SHARE_WINDOW_MS,
  ).unref();

  return pending;
}
