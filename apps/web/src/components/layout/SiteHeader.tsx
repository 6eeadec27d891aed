import Link from 'next/link';

import { signOutAction } from '@/actions/auth';
import { SearchBox } from '@/components/search/SearchBox';
import type { User } from '@/lib/api/types';
import { getCurrentUser } from '@/lib/session/session';

export async function SiteHeader() {
  let user: User | null = null;
  try {
    user = await getCurrentUser();
  } catch {
    // The API is down: show the signed-out header; the page itself reports the outage.
    user = null;
  }

  return (
    <header className="site-header">
      <div className="container site-header__inner">
        <Link href="/" className="site-logo">
          Hardened Shop
        </Link>
        <SearchBox />
        <nav aria-label="Main" className="site-nav">
          <Link href="/products">All products</Link>
          <Link href="/cart">Cart</Link>
          {user ? (
            <>
              <Link href="/account">Account</Link>
              {user.role === 'admin' ? <Link href="/admin">Admin</Link> : null}
              <form action={signOutAction}>
                <button type="submit" className="link-button">
                  Sign out
                </button>
              </form>
            </>
          ) : (
            <>
              <Link href="/signin">Sign in</Link>
              <Link href="/register">Register</Link>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}
