import type { Metadata } from 'next';
import Link from 'next/link';

import { PasswordForm, ProfileForm } from '@/components/account/AccountForms';
import { withServiceErrorState } from '@/components/ui/ServiceUnavailable';
import { formatDate } from '@/lib/format';
import { requireUser } from '@/lib/session/session';

export const metadata: Metadata = { title: 'Your account' };

async function AccountPage() {
  const user = await requireUser('/account');

  return (
    <>
      <h1>Your account</h1>
      <p>
        Signed in as <strong>{user.email}</strong>, customer since{' '}
        {formatDate(user.createdAt)}.
      </p>
      <p>
        <Link prefetch={false} href="/account/orders">
          Order history
        </Link>
      </p>
      <ProfileForm name={user.name} />
      <PasswordForm />
    </>
  );
}

export default withServiceErrorState('Your account', AccountPage);
