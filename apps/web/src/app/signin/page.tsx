import type { Metadata } from 'next';
import { redirect } from 'next/navigation';

import { SignInForm } from '@/components/account/AuthForms';
import { Notice } from '@/components/ui/Notice';
import { withServiceErrorState } from '@/components/ui/ServiceUnavailable';
import { firstParam } from '@/lib/format';
import { safeRedirectPath } from '@/lib/security/redirect';
import { getCurrentUser } from '@/lib/session/session';

export const metadata: Metadata = { title: 'Sign in' };

async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = safeRedirectPath(firstParam(params.next));
  if (await getCurrentUser()) redirect(next);

  return (
    <section aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in</h1>
      <Notice notice={firstParam(params.notice)} />
      <SignInForm next={next} />
    </section>
  );
}

export default withServiceErrorState('Sign in', SignInPage);
