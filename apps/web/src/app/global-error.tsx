'use client';

import './globals.css';

/** Last-resort error page, used when the root layout itself fails. */
export default function GlobalError({
  error,
}: {
  error: Error & { digest?: string };
}) {
  return (
    <html lang="en">
      <body>
        <main id="main" className="container">
          <h1>Something went wrong</h1>
          <p role="alert">
            The shop could not be loaded. Try again in a moment.
          </p>
          {error.digest ? (
            <p className="hint">Reference: {error.digest}</p>
          ) : null}
          <p>
            <a href="/">Go to the home page</a>
          </p>
        </main>
      </body>
    </html>
  );
}
