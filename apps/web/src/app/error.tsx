'use client';

/**
 * Shown when a page fails to render, for example when the API is down. It
 * never shows the error message: in production Next.js replaces server
 * errors with a digest, which is printed so support can find the log line.
 */
export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <section aria-labelledby="error-title">
      <h1 id="error-title">Something went wrong</h1>
      <p role="alert">The page could not be loaded. Try again in a moment.</p>
      {error.digest ? <p className="hint">Reference: {error.digest}</p> : null}
      <button type="button" onClick={() => reset()}>
        Try again
      </button>
    </section>
  );
}
