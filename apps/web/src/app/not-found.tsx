import Link from 'next/link';

export default function NotFound() {
  return (
    <section aria-labelledby="not-found-title">
      <h1 id="not-found-title">Page not found</h1>
      <p>The page does not exist or is no longer available.</p>
      <p>
        <Link prefetch={false} href="/">
          Go to the home page
        </Link>{' '}
        or{' '}
        <Link prefetch={false} href="/products">
          browse all products
        </Link>
        .
      </p>
    </section>
  );
}
