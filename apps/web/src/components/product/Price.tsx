import { formatMoney } from '@/lib/format';

export function Price({
  cents,
  compareAtCents,
  currency,
}: {
  cents: number;
  compareAtCents?: number | null;
  currency: string;
}) {
  const reduced =
    compareAtCents !== null &&
    compareAtCents !== undefined &&
    compareAtCents > cents;

  return (
    <p className="price">
      {formatMoney(cents, currency)}
      {reduced ? (
        <del>
          <span className="visually-hidden">Was </span>
          {formatMoney(compareAtCents, currency)}
        </del>
      ) : null}
    </p>
  );
}
