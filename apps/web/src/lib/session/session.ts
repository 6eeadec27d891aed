import 'server-only';

import { cookies, headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';

import { apiRequest } from '../api/client';
import { ApiError } from '../api/errors';
import type { TokenPair, User } from '../api/types';

import {
  ACCESS_COOKIE,
  REFRESH_COOKIE,
  REFRESH_COOKIE_MAX_AGE,
  accessCookieMaxAge,
  sessionCookieOptions,
} from './cookies';

/**
 * Returns the client IP for the current request. src/proxy.ts has already
 * replaced X-Forwarded-For with the single address it trusts.
 */
export async function getClientIp(): Promise<string | null> {
  const value = (await headers()).get('x-forwarded-for');
  return value ? (value.split(',')[0]?.trim() ?? null) : null;
}

export async function getAccessToken(): Promise<string | null> {
  return (await cookies()).get(ACCESS_COOKIE)?.value ?? null;
}

export async function getRefreshToken(): Promise<string | null> {
  return (await cookies()).get(REFRESH_COOKIE)?.value ?? null;
}

/**
 * Returns the signed-in user, asking the API once per request, or null
 * when there is no valid session.
 */
export const getCurrentUser = cache(async (): Promise<User | null> => {
  const accessToken = await getAccessToken();
  if (!accessToken) return null;

  try {
    return await apiRequest<User>('/api/auth/me', {
      accessToken,
      clientIp: await getClientIp(),
    });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
});

/** Returns the signed-in user or redirects to the sign-in page. */
export async function requireUser(returnPath: string): Promise<User> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?next=${encodeURIComponent(returnPath)}`);
  return user;
}

/**
 * Returns the signed-in admin. Everyone else gets a 404, so the admin area
 * does not reveal that it exists. The API checks the role again on every
 * admin call.
 */
export async function requireAdmin(): Promise<User> {
  const user = await getCurrentUser();
  if (!user || user.role !== 'admin') notFound();
  return user;
}

/** Stores a token pair in the session cookies (server actions and route handlers only). */
export async function storeSession(pair: TokenPair): Promise<void> {
  const jar = await cookies();
  jar.set(
    ACCESS_COOKIE,
    pair.accessToken,
    sessionCookieOptions(accessCookieMaxAge(pair.expiresIn)),
  );
  jar.set(
    REFRESH_COOKIE,
    pair.refreshToken,
    sessionCookieOptions(REFRESH_COOKIE_MAX_AGE),
  );
}

export async function clearSession(): Promise<void> {
  const jar = await cookies();
  jar.set(ACCESS_COOKIE, '', sessionCookieOptions(0));
  jar.set(REFRESH_COOKIE, '', sessionCookieOptions(0));
}

/** Returns the credentials for an API call made on behalf of the current request. */
export async function apiContext(): Promise<{
  accessToken: string | null;
  clientIp: string | null;
}> {
  return { accessToken: await getAccessToken(), clientIp: await getClientIp() };
}
