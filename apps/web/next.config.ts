import type { NextConfig } from 'next';

import { staticSecurityHeaders } from './src/lib/security/headers';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // The storefront serves no user-supplied images through Next, so the
  // optimizer stays off and /_next/image cannot be used to fetch anything.
  images: { unoptimized: true },
  async headers() {
    return [
      { source: '/:path*', headers: staticSecurityHeaders() },
      // Next.js serves app/icon.svg as `image/svg+xml` without a charset.
      {
        source: '/icon.svg',
        headers: [
          { key: 'Content-Type', value: 'image/svg+xml; charset=utf-8' },
        ],
      },
    ];
  },
};

export default nextConfig;
