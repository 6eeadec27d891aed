import { randomBytes } from 'node:crypto';

/** Creates a fresh CSP nonce: 128 random bits, base64 encoded. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export interface CspOptions {
  nonce: string;
  /** `next dev` needs eval for its React debugging and inline styles for hot reload. */
  development: boolean;
}

/**
 * Builds the Content-Security-Policy for one response. Scripts run only with
 * the request's nonce; 'strict-dynamic' lets those scripts load the chunks
 * they import, so no host allow-list is needed.
 */
export function buildCsp({ nonce, development }: CspOptions): string {
  const scriptSrc = ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"];
  const styleSrc = ["'self'"];

  if (development) {
    scriptSrc.push("'unsafe-eval'");
    styleSrc.push("'unsafe-inline'");
  }

  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': scriptSrc,
    'style-src': styleSrc,
    'img-src': ["'self'", 'data:', 'https:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };

  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}
