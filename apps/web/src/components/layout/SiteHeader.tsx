import Link from 'next/link';

import { signOutAction } from '@/actions/auth';
import { SearchBox } from '@/components/search/SearchBox';
import type { User } from '@/lib/api/types';
import { getCurrentUser } from '@/lib/session/session';

export async function SiteHeader() {
  let user: User | null;
  try {
    user = await getCurrentUser();
  } catch {
    // The API is down: show the signed-out header; the page itself reports the outage.
    user = null;
  }

  return (
    <header className="site-header">
      <div className="container site-header__inner">
        <Link prefetch={false} href="/" className="site-logo">
          Hardened Shop
        </Link>
        <SearchBox />
        <nav aria-label="Main" className="site-nav">
          <Link prefetch={false} href="/products">
            All products
          </Link>
          <Link prefetch={false} href="/cart">
            Cart
          </Link>
          {user ? (
            <>
              <Link prefetch={false} href="/account">
                Account
              </Link>
              {user.role === 'admin' ? (
                <Link prefetch={false} href="/admin">
                  Admin
                </Link>
              ) : null}
              <form action={signOutAction}>
                <button type="submit" className="link-button">
                  Sign out
                </button>
              </form>
            </>
          ) : (
            <>
              <Link prefetch={false} href="/signin">
                Sign in
              </Link>
              <Link prefetch={false} href="/register">
                Register
              </Link>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}
