import 'server-only';

import { headers } from 'next/headers';

import { getConfig } from '@/lib/config';
import { expectedOriginFor, isSameOriginRequest } from '@/lib/security/csrf';

/**
 * Rejects a server action call that did not come from the storefront's own
 * pages. src/proxy.ts already rejects such requests with 403. This second check
 * keeps every action safe even if the proxy is bypassed.
 */
export async function assertSameOrigin(): Promise<void> {
  const requestHeaders = await headers();
  const protocol =
    requestHeaders.get('x-forwarded-proto') === 'https' ? 'https:' : 'http:';
  const allowed = isSameOriginRequest({
    method: 'POST',
    origin: requestHeaders.get('origin'),
    secFetchSite: requestHeaders.get('sec-fetch-site'),
    expectedOrigin: expectedOriginFor(
      getConfig().WEB_ORIGIN,
      requestHeaders.get('host'),
      protocol,
    ),
  });

  if (!allowed) throw new Error('Cross-site request rejected');
}
