import type { ReactNode } from 'react';

import { ApiError } from '@/lib/api/errors';

/**
 * True for failures that the shopper can only wait out: the API is down,
 * failing (5xx) or rate-limiting this client (429).
 */
export function isServiceFailure(error: unknown): error is ApiError {
  return (
    error instanceof ApiError && (error.status >= 500 || error.status === 429)
  );
}

/**
 * Error state rendered on the server, so it also shows without JavaScript.
 * Next.js renders error.tsx only in the browser when the failure happens
 * before the first byte, which leaves a blank page without JavaScript.
 * A 429 from the API gets a "busy" message, and any other failure gets the
 * outage message. Neither shows details of the failure.
 */
export function ServiceUnavailable({
  title,
  error,
}: {
  title: string;
  error?: unknown;
}) {
  const busy = error instanceof ApiError && error.status === 429;
  return (
    <section aria-labelledby="unavailable-title">
      <h1 id="unavailable-title">{title}</h1>
      <p className="alert alert--error" role="alert">
        {busy
          ? 'The shop is busy right now. Wait a minute, then reload the page.'
          : 'The shop is temporarily unavailable. Reload the page in a moment.'}
      </p>
    </section>
  );
}

/**
 * Wraps a page or layout so that an API outage or rate limit renders the
 * server-side error state inside the normal layout instead of reaching the
 * client error boundary. Every other error, including the ones thrown by
 * redirect() and notFound(), passes through unchanged.
 * NOTE: the response keeps status 200, because a server component cannot
 * set the status or Retry-After in Next.js 16. The proxy marks every page
 * `Cache-Control: no-store`, so no cache keeps the error state.
 */
export function withServiceErrorState<Props>(
  title: string,
  render: (props: Props) => Promise<ReactNode>,
): (props: Props) => Promise<ReactNode> {
  return async function ServiceErrorBoundary(props: Props) {
    try {
      return await render(props);
    } catch (error) {
      if (!isServiceFailure(error)) throw error;
      console.error(
        JSON.stringify({
          event: 'page_api_failure',
          page: title,
          status: error.status,
          code: error.code,
          requestId: error.requestId,
        }),
      );
      return <ServiceUnavailable title={title} error={error} />;
    }
  };
}
