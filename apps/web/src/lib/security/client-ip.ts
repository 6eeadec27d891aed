import { isIP } from 'node:net';

/**
 * Picks the client IP from X-Forwarded-For, trusting only the last
 * `trustedHops` entries, which were appended by proxies in front of the
 * storefront. With 0 hops no entry is trusted and `socketAddress` is used.
 * Returns null when no valid address is known.
 */
export function resolveClientIp(
  forwardedFor: string | null,
  trustedHops: number,
  socketAddress: string | null,
): string | null {
  if (trustedHops === 0) return validIp(socketAddress);

  const entries = (forwardedFor ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const index = entries.length - trustedHops;

  return validIp(index >= 0 ? entries[index] : null);
}

function validIp(value: string | null | undefined): string | null {
  if (!value) return null;
  const unmapped = value.startsWith('::ffff:') ? value.slice(7) : value;
  return isIP(unmapped) === 0 ? null : unmapped;
}
