// Layout of the widest tables at 360 px, the narrowest phone the shop
// supports. A plain HTTP server replaces the API and returns a signed-in
// admin, a cart and a category list, so the pages render real markup and CSS.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';

import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts';
import {
  ensureBuilt,
  freePort,
  startWebServer,
  type WebServer,
} from '../helpers/stack.ts';

const PHONE = { width: 360, height: 780 };

const ADMIN = {
  id: 'u1',
  email: 'admin@shop.test',
  name: 'Admin',
  role: 'admin',
  createdAt: '2026-01-01T00:00:00.000Z',
};

function cartItem(index: number, name: string) {
  return {
    productId: `p${index}`,
    slug: `product-${index}`,
    name,
    sku: `SKU-${index}`,
    imageUrl: null,
    unitPriceCents: 129_900,
    quantity: 12,
    lineTotalCents: 1_558_800,
    stock: 40,
  };
}

const CART = {
  items: [
    cartItem(1, 'Stainless steel kettle'),
    cartItem(2, 'Ergonomic office chair with headrest'),
  ],
  subtotalCents: 3_117_600,
  shippingCents: 0,
  taxCents: 592_344,
  totalCents: 3_709_944,
  currency: 'EUR',
  itemCount: 24,
};

const CATEGORIES = {
  items: [
    {
      id: 'c1',
      slug: 'kitchen-and-dining',
      name: 'Kitchen and dining',
      description: null,
      parentId: null,
      sortOrder: 1,
      active: true,
    },
    {
      id: 'c2',
      slug: 'cookware-and-bakeware',
      name: 'Cookware and bakeware',
      description: null,
      parentId: 'c1',
      sortOrder: 2,
      active: true,
    },
  ],
};

const RESPONSES: Record<string, unknown> = {
  '/api/auth/me': ADMIN,
  '/api/cart': CART,
  '/api/admin/categories': CATEGORIES,
};

let fakeApi: Server;
let web: WebServer;
let chromium: LaunchedBrowser;

before(async () => {
  ensureBuilt();
  fakeApi = createServer((request, response) => {
    const body = RESPONSES[new URL(request.url ?? '/', 'http://x').pathname];
    response.writeHead(body ? 200 : 404, {
      'content-type': 'application/json',
    });
    response.end(
      JSON.stringify(
        body ?? { error: { code: 'NOT_FOUND', message: 'Not found' } },
      ),
    );
  });
  const port = await freePort();
  await new Promise<void>((resolve) =>
    fakeApi.listen(port, '127.0.0.1', resolve),
  );
  web = await startWebServer({ apiUrl: `http://127.0.0.1:${port}` });
  chromium = await launchBrowser();
});

after(async () => {
  await chromium?.close();
  await web?.stop();
  fakeApi?.closeAllConnections();
  fakeApi?.close();
});

/**
 * Opens `path` at phone width as the signed-in admin and returns how far the
 * page and each button in a table reach to the right, in CSS pixels.
 */
async function measure(path: string) {
  const context = await chromium.browser.newContext({ viewport: PHONE });
  // The session goes in a Cookie header, because Chromium's DevTools protocol
  // rejected a __Host- cookie for this http:// origin ("Invalid cookie fields").
  await context.setExtraHTTPHeaders({ cookie: '__Host-shop_access=any-token' });
  try {
    const page = await context.newPage();
    await page.goto(`${web.url}${path}`);
    return await page.evaluate(() => {
      const buttons = [...document.querySelectorAll('table button')];
      return {
        pageWidth: document.documentElement.scrollWidth,
        buttons: buttons.map((button) => {
          const box = button.getBoundingClientRect();
          const wrap = button.closest('.table-wrap');
          const wrapRight = wrap
            ? wrap.getBoundingClientRect().right
            : window.innerWidth;
          return {
            label: button.textContent?.trim() ?? '',
            right: box.right,
            visibleRight: Math.min(wrapRight, window.innerWidth),
          };
        }),
      };
    });
  } finally {
    await context.close();
  }
}

for (const path of ['/cart', '/admin/categories']) {
  test(`${path} at 360 px - buttons fully visible`, async () => {
    const { pageWidth, buttons } = await measure(path);

    assert.ok(pageWidth <= PHONE.width, `page width ${pageWidth}`);
    assert.ok(buttons.length > 0, 'the table has buttons');
    for (const button of buttons) {
      assert.ok(
        button.right <= button.visibleRight + 0.5,
        `${button.label} ends at ${button.right}, visible up to ${button.visibleRight}`,
      );
    }
  });
}
