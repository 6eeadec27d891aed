/** Formats integer cents in the given ISO 4217 currency, such as "€12.50". */
export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat('en-IE', { style: 'currency', currency }).format(
    cents / 100,
  );
}

/** Formats an ISO timestamp as a date in UTC, such as "4 Dec 2026". */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat('en-IE', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(iso));
}

/** Parses a decimal amount such as "12.5" into cents, or null when invalid. */
export function parseAmountToCents(value: string): number | null {
  const trimmed = value.trim();
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(trimmed)) return null;
  const [whole = '0', fraction = ''] = trimmed.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** Reads a positive integer from a search parameter, or the fallback. */
export function pageNumber(
  value: string | string[] | undefined,
  fallback = 1,
): number {
  const text = Array.isArray(value) ? value[0] : value;
  const parsed = Number(text);
  return Number.isInteger(parsed) && parsed >= 1 && parsed <= 10_000
    ? parsed
    : fallback;
}

/** Returns the first value of a search parameter. */
export function firstParam(
  value: string | string[] | undefined,
): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
