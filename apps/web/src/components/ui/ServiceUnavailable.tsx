import { ApiError } from '@/lib/api/errors';

/** True for failures that the shopper can only wait out: the API is down or failing. */
export function isServiceFailure(error: unknown): boolean {
  return error instanceof ApiError && error.status >= 500;
}

/**
 * Error state rendered on the server, so it also shows without JavaScript.
 * Next.js renders error.tsx only in the browser when the failure happens
 * before the first byte, which leaves a blank page without JavaScript.
 */
export function ServiceUnavailable({ title }: { title: string }) {
  return (
    <section aria-labelledby="unavailable-title">
      <h1 id="unavailable-title">{title}</h1>
      <p className="alert alert--error" role="alert">
        The shop is temporarily unavailable. Reload the page in a moment.
      </p>
    </section>
  );
}
