const PLACEHOLDER_ORIGIN = 'http://storefront.invalid';

/**
 * Returns `target` when it is a path on this site, and "/" otherwise. This
 * stops the `next` parameter of the sign-in page from sending a user to
 * another site: protocol-relative URLs (`//evil.example`), backslash tricks
 * (`/\evil.example`, which browsers read as `//`), scheme-only URLs
 * (`https:evil.example`), absolute URLs and paths that turn into one of
 * these once dot segments are resolved (`/.//evil.example`) all fall back to
 * the home page.
 */
export function safeRedirectPath(target: string | null | undefined): string {
  if (!target || target.length > 2048) return '/';
  if (!target.startsWith('/') || target.startsWith('//')) return '/';
  // Browsers treat "\" like "/" and drop tabs and newlines inside URLs.
  // eslint-disable-next-line no-control-regex -- control characters are the point
  if (/[\\\u0000-\u001f\u007f]/.test(target)) return '/';

  let url: URL;
  try {
    url = new URL(target, PLACEHOLDER_ORIGIN);
  } catch {
    return '/';
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return '/';
  // Checked again after the URL parser removed dot segments and decoded
  // `%2e`: `/.//evil.example` and `/..//evil.example` become `//evil.example`.
  if (url.pathname.startsWith('//') || url.pathname.startsWith('/\\')) {
    return '/';
  }

  return `${url.pathname}${url.search}${url.hash}`;
}
