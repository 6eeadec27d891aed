import Link from 'next/link';

/**
 * Page links that keep the other query parameters (filters, sort, search
 * text), so every list state has a shareable URL.
 */
export function Pagination({
  basePath,
  params,
  page,
  totalPages,
}: {
  basePath: string;
  params: Record<string, string | undefined>;
  page: number;
  totalPages: number;
}) {
  if (totalPages <= 1) return null;

  const hrefFor = (target: number) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value) search.set(key, value);
    }
    search.set('page', String(target));
    return `${basePath}?${search.toString()}`;
  };

  return (
    <nav aria-label="Pagination">
      <ul className="pagination">
        {page > 1 ? (
          <li>
            <Link prefetch={false} href={hrefFor(page - 1)} rel="prev">
              Previous
            </Link>
          </li>
        ) : null}
        <li>
          <span aria-current="page">
            Page {page} of {totalPages}
          </span>
        </li>
        {page < totalPages ? (
          <li>
            <Link prefetch={false} href={hrefFor(page + 1)} rel="next">
              Next
            </Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
