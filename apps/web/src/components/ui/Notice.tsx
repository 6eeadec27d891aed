import { messageForCode } from '@/lib/api/errors';

/** Success or error banner driven by a short code in the URL (?notice= or ?error=). */
const NOTICES: Record<string, string> = {
  added: 'Added to your cart.',
  updated: 'Saved.',
  removed: 'Removed from your cart.',
  cancelled: 'The order was cancelled.',
  created: 'Created.',
  archived: 'Archived.',
  status: 'Order status changed.',
  registered:
    'If the address can be registered, the account is ready. Sign in to continue.',
};

export function Notice({ notice, error }: { notice?: string; error?: string }) {
  const text = notice ? NOTICES[notice] : undefined;
  const errorText = messageForCode(error);

  return (
    <>
      {text ? (
        <p className="alert alert--success" role="status">
          {text}
        </p>
      ) : null}
      {errorText ? (
        <p className="alert alert--error" role="alert">
          {errorText}
        </p>
      ) : null}
    </>
  );
}
