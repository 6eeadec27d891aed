import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import type { Page } from 'playwright-core';

import {
  launchBrowser,
  openSession,
  type BrowserSession,
  type LaunchedBrowser,
} from '../helpers/browser.ts';
import { REPO_ROOT, startStack, type Stack } from '../helpers/stack.ts';

// The committed screenshots change only on request (npm run screenshots).
// Other runs still take every screenshot, into a folder deleted afterwards.
const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
const SCREENSHOT_DIR = UPDATE_SCREENSHOTS
  ? join(REPO_ROOT, 'docs/screenshots')
  : mkdtempSync(join(tmpdir(), 'shop-screenshots-'));
const PHONE = { width: 360, height: 780 };
const DESKTOP = { width: 1280, height: 900 };

let stack: Stack;
let launched: LaunchedBrowser;

before(async () => {
  stack = await startStack();
  launched = await launchBrowser();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
});

after(async () => {
  await launched?.close();
  await stack?.stop();
  if (!UPDATE_SCREENSHOTS)
    rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
});

async function screenshot(page: Page, name: string): Promise<void> {
  for (const [label, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    // Product images load lazily; wait until the visible ones have arrived.
    await page.waitForLoadState('networkidle');
    await page.screenshot({
      path: join(SCREENSHOT_DIR, `${name}-${label}.png`),
      fullPage: false,
    });
  }
  await page.setViewportSize(DESKTOP);
}

function assertNoProblems(session: BrowserSession): void {
  assert.deepEqual(
    session.problems,
    [],
    `browser problems:\n${session.problems.join('\n')}\n${stack.logs()}`,
  );
}

async function signIn(
  page: Page,
  email: string,
  password: string,
  next?: string,
): Promise<void> {
  await page.goto(
    `${stack.webUrl}/signin${next ? `?next=${encodeURIComponent(next)}` : ''}`,
  );
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/signin'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
}

test('storefront - shopper browses, buys, cancels and signs out', async () => {
  const session = await openSession(launched.browser);
  const page = await session.newPage();

  await page.goto(`${stack.webUrl}/`);
  await page.getByRole('heading', { name: 'Featured products' }).waitFor();
  await screenshot(page, 'home');

  // Category page, including the products of its subcategories.
  await page
    .getByRole('region', { name: 'Shop by category' })
    .getByRole('link')
    .first()
    .click();
  await page.waitForURL(/\/categories\//);
  await page.locator('.product-card').first().waitFor();

  // Product list with filters and sort in the URL.
  await page.goto(`${stack.webUrl}/products`);
  await page.getByLabel('Sort by').selectOption('price_asc');
  await page.getByLabel('In stock only').check();
  await Promise.all([
    page.waitForURL(/sort=price_asc/),
    page.getByRole('button', { name: 'Apply' }).click(),
  ]);
  assert.match(page.url(), /inStock=true/);
  await screenshot(page, 'products');

  // The first product with at least two in stock is the one to buy, so
  // the cart quantity can go up to 2.
  const productName =
    (
      await page
        .locator('.product-card')
        .filter({ hasText: /In stock|Only [2-9] left/ })
        .locator('.product-card__title a')
        .first()
        .textContent()
    )?.trim() ?? '';
  assert.ok(
    productName.length > 0,
    'the product list shows at least one product',
  );
  const term = productName.split(/\s+/)[0] ?? productName;

  // Autocomplete, then the results page.
  const searchBox = page.getByRole('combobox', { name: 'Search products' });
  await searchBox.fill(term);
  await page.getByRole('option').first().waitFor();
  await Promise.all([
    page.waitForURL(/\/search\?q=/),
    searchBox.press('Enter'),
  ]);
  await page.getByRole('heading', { name: /Results for/ }).waitFor();
  assert.ok(
    (await page.locator('.product-card').count()) > 0,
    'search finds the product',
  );
  await screenshot(page, 'search');

  // Register, then sign in and come back to the product.
  const email = `shopper-${Date.now()}@example.com`;
  const password = 'correct horse battery staple';
  await page.goto(`${stack.webUrl}/register`);
  await page.getByLabel('Name').fill('Test Shopper');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([
    page.waitForURL(/\/signin/),
    page.getByRole('button', { name: 'Create account' }).click(),
  ]);

  await page.goto(
    `${stack.webUrl}/search?q=${encodeURIComponent(productName)}`,
  );
  await Promise.all([
    page.waitForURL(/\/products\//),
    page.getByRole('link', { name: productName, exact: true }).first().click(),
  ]);
  const productPath = new URL(page.url()).pathname;
  await screenshot(page, 'product');

  await signIn(page, email, password, productPath);
  assert.equal(new URL(page.url()).pathname, productPath);

  await Promise.all([
    page.waitForURL(/notice=added/),
    page.getByRole('button', { name: 'Add to cart' }).click(),
  ]);
  await page.getByText('Added to your cart.').waitFor();

  // Cart: change the quantity; the totals come from the API.
  await page.goto(`${stack.webUrl}/cart`);
  const totalBefore = await page.getByTestId('order-total').textContent();
  await page.getByRole('spinbutton').first().fill('2');
  await Promise.all([
    page.waitForURL(/notice=updated/),
    page
      .getByRole('button', { name: /Update/ })
      .first()
      .click(),
  ]);
  const totalAfter = await page.getByTestId('order-total').textContent();
  assert.notEqual(
    totalAfter,
    totalBefore,
    'the total changes with the quantity',
  );
  await screenshot(page, 'cart');

  // Checkout with a server-validated address and the mock payment.
  await page.getByRole('link', { name: 'Go to checkout' }).click();
  await page.waitForURL(/\/checkout$/);
  await page.getByLabel('Address line 1').fill('1 Test Street');
  await page.getByLabel('Postal code').fill('10115');
  await page.getByLabel('City').fill('Berlin');
  await page.getByLabel('Country').selectOption('DE');
  await screenshot(page, 'checkout');
  await Promise.all([
    page.waitForURL(/\/checkout\/confirmation\//),
    page.getByRole('button', { name: 'Place order' }).click(),
  ]);
  const orderNumber =
    (await page.getByTestId('order-number').textContent())?.trim() ?? '';
  assert.ok(orderNumber.length > 0, 'the confirmation shows the order number');

  // Order history, order detail and cancel.
  await page.goto(`${stack.webUrl}/account/orders`);
  await page.getByRole('link', { name: orderNumber }).click();
  await page.waitForURL(new RegExp(`/account/orders/${orderNumber}`));
  await screenshot(page, 'order');
  await Promise.all([
    page.waitForURL(/notice=cancelled/),
    page.getByRole('button', { name: 'Cancel order' }).click(),
  ]);
  assert.equal(
    await page.getByTestId('order-status').textContent(),
    'cancelled',
  );

  // Sign-out revokes the session, so the account page redirects to sign in.
  await Promise.all([
    page.waitForURL(`${stack.webUrl}/`),
    page.getByRole('button', { name: 'Sign out' }).click(),
  ]);
  await page.goto(`${stack.webUrl}/account`);
  assert.equal(new URL(page.url()).pathname, '/signin');

  assertNoProblems(session);
  await session.close();
});

test('storefront - admin creates a product that shoppers find', async () => {
  const adminSession = await openSession(launched.browser);
  const page = await adminSession.newPage();
  await signIn(page, stack.admin.email, stack.admin.password, '/admin');
  assert.equal(new URL(page.url()).pathname, '/admin');
  await page.getByRole('heading', { name: 'Sales overview' }).waitFor();
  await screenshot(page, 'admin-sales');

  const suffix = Date.now().toString(36);
  const name = `Quokka Lantern ${suffix}`;
  await page.goto(`${stack.webUrl}/admin/products/new`);
  // Exact, because an image file name such as "enamelled-…" contains "name".
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('SKU').fill(`QL-${suffix}`);
  await page.getByLabel('Slug').fill(`quokka-lantern-${suffix}`);
  await page
    .getByLabel('Description')
    .fill('A lantern made for browser tests.');
  await page.getByLabel('Price (€)').fill('19.99');
  await page.getByLabel('Stock').fill('7');
  await page.getByLabel('Category').selectOption({ index: 1 });
  // Checked in this order; the form lists them alphabetically, so the
  // main image is the first of the two.
  await page.getByRole('checkbox', { name: 'cold-brew-maker.svg' }).check();
  await page.getByRole('checkbox', { name: 'burr-coffee-grinder.svg' }).check();
  await Promise.all([
    page.waitForURL(/notice=created/),
    page.getByRole('button', { name: 'Create product' }).click(),
  ]);
  const editUrl = page.url();

  // The server accepts only shipped images, whatever the browser sends.
  await page
    .getByRole('checkbox', { name: 'water-filter-bottle.svg' })
    .evaluate((box) => {
      (box as HTMLInputElement).value = '../secrets.svg';
      (box as HTMLInputElement).checked = true;
    });
  await page.getByRole('button', { name: 'Save product' }).click();
  await page.getByText('Choose images from the list').waitFor();
  assert.equal(page.url(), editUrl, 'the rejected form stays on the page');

  await page.goto(`${stack.webUrl}/admin/orders`);
  await page.getByRole('heading', { name: 'Orders' }).waitFor();
  await screenshot(page, 'admin-orders');
  assertNoProblems(adminSession);
  await adminSession.close();

  const shopper = await openSession(launched.browser);
  const shopperPage = await shopper.newPage();
  await shopperPage.goto(
    `${stack.webUrl}/search?q=${encodeURIComponent(`Quokka Lantern ${suffix}`)}`,
  );
  await Promise.all([
    shopperPage.waitForURL(/\/products\/quokka-lantern-/),
    shopperPage.getByRole('link', { name }).click(),
  ]);
  await shopperPage.getByRole('heading', { level: 1, name }).waitFor();
  await shopperPage.getByText('In stock').waitFor();
  assert.equal(
    await shopperPage.locator('.product-detail img').getAttribute('src'),
    '/api/images/products/burr-coffee-grinder.svg',
    'the first chosen image is the main image',
  );
  assertNoProblems(shopper);
  await shopper.close();
});

test('storefront - admin ships an order and archives a product', async () => {
  // The seeded customer orders the first in-stock product.
  const customer = await openSession(launched.browser);
  const shopPage = await customer.newPage();
  await signIn(shopPage, stack.customer.email, stack.customer.password);
  await shopPage.goto(`${stack.webUrl}/products?inStock=true&sort=name_asc`);
  const productName =
    (
      await shopPage.locator('.product-card__title a').first().textContent()
    )?.trim() ?? '';
  await Promise.all([
    shopPage.waitForURL(/\/products\/[^?]+$/),
    shopPage.getByRole('link', { name: productName, exact: true }).click(),
  ]);
  const productUrl = shopPage.url();
  await Promise.all([
    shopPage.waitForURL(/notice=added/),
    shopPage.getByRole('button', { name: 'Add to cart' }).click(),
  ]);
  // A declined card shows an error, places no order and keeps the cart.
  const countOrders = async () => {
    await shopPage.goto(`${stack.webUrl}/account/orders`);
    await shopPage.getByRole('heading', { name: 'Your orders' }).waitFor();
    return shopPage.locator('tbody tr').count();
  };
  const ordersBefore = await countOrders();
  await shopPage.goto(`${stack.webUrl}/checkout`);
  await shopPage.getByLabel('Address line 1').fill('2 Harbour Road');
  await shopPage.getByLabel('Postal code').fill('D02 X285');
  await shopPage.getByLabel('City').fill('Dublin');
  await shopPage.getByLabel('Country').selectOption('IE');
  await shopPage.getByLabel('Test card').selectOption('decline');
  await shopPage.getByRole('button', { name: 'Place order' }).click();
  await shopPage
    .getByRole('alert')
    .filter({ hasText: 'The payment was declined, so no order was placed.' })
    .waitFor();
  assert.equal(new URL(shopPage.url()).pathname, '/checkout');
  await shopPage.goto(`${stack.webUrl}/cart`);
  assert.equal(
    await shopPage
      .getByRole('link', { name: productName, exact: true })
      .count(),
    1,
    'the cart still holds the product',
  );
  assert.equal(
    await shopPage.getByRole('spinbutton').first().inputValue(),
    '1',
    'the cart quantity is unchanged',
  );
  assert.equal(await countOrders(), ordersBefore, 'no order was placed');

  await shopPage.goto(`${stack.webUrl}/checkout`);
  await shopPage.getByLabel('Address line 1').fill('2 Harbour Road');
  await shopPage.getByLabel('Postal code').fill('D02 X285');
  await shopPage.getByLabel('City').fill('Dublin');
  await shopPage.getByLabel('Country').selectOption('IE');
  await Promise.all([
    shopPage.waitForURL(/\/checkout\/confirmation\//),
    shopPage.getByRole('button', { name: 'Place order' }).click(),
  ]);
  const orderNumber =
    (await shopPage.getByTestId('order-number').textContent())?.trim() ?? '';

  // The admin moves the order along the allowed transitions.
  const admin = await openSession(launched.browser);
  const page = await admin.newPage();
  await signIn(page, stack.admin.email, stack.admin.password, '/admin/orders');
  await page.getByLabel('Order or email').fill(orderNumber);
  await Promise.all([
    page.waitForURL(/q=/),
    page.getByRole('button', { name: 'Filter' }).click(),
  ]);
  await Promise.all([
    page.waitForURL(new RegExp(`/admin/orders/${orderNumber}$`)),
    page.getByRole('link', { name: orderNumber }).click(),
  ]);
  const initialStatus = await page.getByTestId('order-status').textContent();
  if (initialStatus === 'pending') {
    await Promise.all([
      page.waitForURL(/notice=status/),
      page.getByRole('button', { name: 'Mark as paid' }).click(),
    ]);
  }
  assert.equal(await page.getByTestId('order-status').textContent(), 'paid');
  await Promise.all([
    page.waitForURL(/notice=status/),
    page.getByRole('button', { name: 'Mark as shipped' }).click(),
  ]);
  assert.equal(await page.getByTestId('order-status').textContent(), 'shipped');
  assert.equal(
    await page.getByRole('button', { name: 'Mark as cancelled' }).count(),
    0,
    'a shipped order can no longer be cancelled',
  );

  // Setting the stock to 0 shows the product as out of stock; archiving
  // removes it from the shop.
  await page.goto(
    `${stack.webUrl}/admin/products?q=${encodeURIComponent(productName)}`,
  );
  await Promise.all([
    page.waitForURL(/\/admin\/products\/[^/?]+$/),
    page.getByRole('link', { name: productName, exact: true }).click(),
  ]);
  await page.getByLabel('Stock').fill('0');
  await Promise.all([
    page.waitForURL(/notice=updated/),
    page.getByRole('button', { name: 'Save product' }).click(),
  ]);
  await shopPage.goto(productUrl);
  const stockState = await shopPage.locator('.stock').textContent();
  assert.equal(
    stockState,
    'Out of stock',
    `product page after the stock change:\n${await shopPage.locator('main').innerText()}\n${stack.logs()}`,
  );

  await Promise.all([
    page.waitForURL(/notice=archived/),
    page.getByRole('button', { name: 'Archive product' }).click(),
  ]);
  const archived = await shopPage.goto(productUrl);
  assert.equal(archived?.status(), 404, 'an archived product is not found');

  const unexpected = customer.problems.filter(
    (problem) => !/status of 404/.test(problem),
  );
  assert.deepEqual(unexpected, []);
  assertNoProblems(admin);
  await customer.close();
  await admin.close();
});

test('storefront - admin edits a category', async () => {
  const session = await openSession(launched.browser);
  const page = await session.newPage();
  await signIn(
    page,
    stack.admin.email,
    stack.admin.password,
    '/admin/categories',
  );

  // A new category, so the seeded catalog stays as the other tests see it.
  const suffix = Date.now().toString(36);
  const newCategory = page.getByRole('form', { name: 'New category' });
  await newCategory.getByLabel('Name').fill(`Lanterns ${suffix}`);
  await newCategory.getByLabel('Slug').fill(`lanterns-${suffix}`);
  await newCategory.getByRole('button', { name: 'Create category' }).click();
  await page.getByText(`Category “Lanterns ${suffix}” was created.`).waitFor();
  await page.reload();

  const parentName =
    (
      await page
        .locator('tbody tr td:first-child a')
        .filter({ hasNotText: suffix })
        .first()
        .textContent()
    )?.trim() ?? '';
  await Promise.all([
    page.waitForURL(/\/admin\/categories\/[0-9a-f-]+$/),
    page.getByRole('link', { name: `Lanterns ${suffix}`, exact: true }).click(),
  ]);
  const editUrl = page.url();

  // The server rejects a sort order that the browser would not send.
  await page.locator('form.form').evaluate((form) => {
    (form as HTMLFormElement).noValidate = true;
  });
  await page.getByLabel('Sort order').fill('99999');
  await page.getByRole('button', { name: 'Save category' }).click();
  await page.getByText('Enter a whole number from -10000 to 10000.').waitFor();
  assert.equal(page.url(), editUrl, 'the rejected form stays on the page');

  await page.getByLabel('Name').fill(`Storm lanterns ${suffix}`);
  await page.getByLabel('Description').fill('Lanterns that stay lit.');
  await page.getByLabel('Parent category').selectOption({ label: parentName });
  await page.getByLabel('Sort order').fill('7');
  await page.getByLabel('Active (shown in the shop)').uncheck();
  await Promise.all([
    page.waitForURL(/\/admin\/categories\?notice=updated$/),
    page.getByRole('button', { name: 'Save category' }).click(),
  ]);

  const row = page
    .locator('tbody tr')
    .filter({ hasText: `Storm lanterns ${suffix}` });
  assert.equal(await row.count(), 1, 'the list shows the new name');
  assert.equal(await row.locator('td').nth(2).textContent(), parentName);
  assert.equal(await row.locator('td').nth(3).textContent(), 'Archived');

  await Promise.all([
    page.waitForURL(/\/admin\/categories\/[0-9a-f-]+$/),
    row.getByRole('link').click(),
  ]);
  assert.equal(
    await page.getByLabel('Description').inputValue(),
    'Lanterns that stay lit.',
  );
  assert.equal(await page.getByLabel('Sort order').inputValue(), '7');
  assert.equal(
    await page.getByLabel('Active (shown in the shop)').isChecked(),
    false,
  );

  assertNoProblems(session);
  await session.close();
});

test('storefront - customer gets 404 in the admin area', async () => {
  const session = await openSession(launched.browser);
  const page = await session.newPage();
  await signIn(page, stack.customer.email, stack.customer.password);

  for (const path of [
    '/admin',
    '/admin/products',
    '/admin/orders',
    '/admin/products/new',
  ]) {
    const response = await page.goto(`${stack.webUrl}${path}`);
    assert.equal(
      response?.status(),
      404,
      `${path} must answer 404 to a customer`,
    );
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  }

  const unexpected = session.problems.filter(
    (problem) => !/status of 404/.test(problem),
  );
  assert.deepEqual(unexpected, []);
  await session.close();
});
