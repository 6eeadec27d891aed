// The scan profile of the running shop: what wapiti crawls, which request
// parameters sqlmap attacks (every one that reaches the database, taken
// from the API contract and the storefront's pages), and which responses
// the passive checks read.
import { verifyCsrfFindings } from './csrf-verification.mjs';
import { markedJson, markedQuery } from './sqlmap.mjs';

// Storefront paths whose pages and API responses belong to one shopper.
const PERSONAL_PATHS = [
  /^\/account/,
  /^\/cart/,
  /^\/checkout/,
  /^\/admin/,
  /^\/api\/(cart|orders|auth|admin)/,
];

/** Returns whether a URL serves a signed-in user's own data. */
export function isPersonalUrl(url) {
  return PERSONAL_PATHS.some((pattern) => pattern.test(url.pathname));
}

const uriOnly = (names) => ({ uri: names, body: [], header: [] });
const bodyOnly = (names) => ({ uri: [], body: names, header: [] });

function json(headers) {
  return { ...headers, 'Content-Type': 'application/json' };
}

// Targets on the API itself, sent with a Bearer token. In production the
// API is reached only through the storefront, but every query runs here.
function apiTargets(stack) {
  const api = stack.apiUrl;
  const {
    productSlug,
    categorySlug,
    productId = '00000000-0000-0000-0000-000000000000',
  } = stack.catalog;
  const customer = {
    ...stack.bypassHeaders,
    Authorization: `Bearer ${stack.customer.accessToken}`,
    Accept: 'application/json',
  };
  const anonymous = { ...stack.bypassHeaders, Accept: 'application/json' };
  const orderNumber = stack.customer.orderNumber ?? 'SO-0000001';
  const productQuery = {
    page: '1',
    limit: '20',
    category: categorySlug,
    minPrice: '100',
    maxPrice: '500000',
    inStock: 'true',
    featured: 'false',
    sort: 'price_asc',
  };
  const address = {
    fullName: 'Scan Customer',
    line1: '1 Test Street',
    line2: 'Floor 2',
    city: 'Berlin',
    postalCode: '10115',
    country: 'DE',
  };

  const targets = [
    {
      name: 'API product list',
      method: 'GET',
      url: `${api}/api/products?${markedQuery(productQuery)}`,
      headers: anonymous,
      parameters: uriOnly(Object.keys(productQuery)),
    },
    {
      name: 'API product by slug',
      method: 'GET',
      url: `${api}/api/products/${productSlug}*`,
      headers: anonymous,
      parameters: uriOnly(['slug']),
    },
    {
      name: 'API category by slug',
      method: 'GET',
      url: `${api}/api/categories/${categorySlug}*?${markedQuery({ page: '1', limit: '20', sort: 'name_asc' })}`,
      headers: anonymous,
      parameters: uriOnly(['slug', 'page', 'limit', 'sort']),
    },
    {
      name: 'API search',
      method: 'GET',
      url: `${api}/api/search?${markedQuery({ q: 'lamp', page: '1', limit: '10' })}`,
      headers: anonymous,
      parameters: uriOnly(['q', 'page', 'limit']),
    },
    {
      name: 'API search suggestions',
      method: 'GET',
      url: `${api}/api/search/suggest?${markedQuery({ q: 'lam' })}`,
      headers: anonymous,
      parameters: uriOnly(['q']),
    },
    // An address without an account, so failed attempts lock no real account.
    // NOTE: the API locks an email after five failed attempts, so sqlmap's
    // password payloads after the fifth get 429 before the handler runs.
    // Each email payload is a new address and does reach the handler.
    {
      name: 'API login',
      method: 'POST',
      url: `${api}/api/auth/login`,
      headers: json(anonymous),
      body: markedJson(
        { email: 'nobody@shop.test', password: 'not-the-password-1' },
        ['email', 'password'],
      ),
      parameters: bodyOnly(['email', 'password']),
    },
    {
      name: 'API register',
      method: 'POST',
      url: `${api}/api/auth/register`,
      headers: json(anonymous),
      body: markedJson(
        {
          email: 'scan-register@shop.test',
          password: 'a-long-scan-password',
          name: 'Scan',
        },
        ['email', 'password', 'name'],
      ),
      parameters: bodyOnly(['email', 'password', 'name']),
    },
    // A made-up token: rotating the scan session's real one would end it.
    {
      name: 'API refresh',
      method: 'POST',
      url: `${api}/api/auth/refresh`,
      headers: json(anonymous),
      body: markedJson(
        { refreshToken: 'not-a-real-refresh-token-0000000000' },
        ['refreshToken'],
      ),
      parameters: bodyOnly(['refreshToken']),
    },
    {
      name: 'API profile update',
      method: 'PATCH',
      url: `${api}/api/auth/me`,
      headers: json(customer),
      body: markedJson({ name: 'Scan Customer' }, ['name']),
      parameters: bodyOnly(['name']),
    },
    // A wrong current password, so a successful change cannot end the session.
    // NOTE: wrong current passwords count against the account's login budget,
    // so after the fifth request sqlmap sees only 429 (account locked).
    {
      name: 'API password change',
      method: 'POST',
      url: `${api}/api/auth/change-password`,
      headers: json(customer),
      body: markedJson(
        {
          currentPassword: 'wrong-current-password',
          newPassword: 'another-long-password',
        },
        ['currentPassword', 'newPassword'],
      ),
      parameters: bodyOnly(['currentPassword', 'newPassword']),
    },
    {
      name: 'API add to cart',
      method: 'POST',
      url: `${api}/api/cart/items`,
      headers: json(customer),
      body: markedJson({ productId, quantity: 1 }, ['productId', 'quantity']),
      parameters: bodyOnly(['productId', 'quantity']),
    },
    {
      name: 'API change cart line',
      method: 'PATCH',
      url: `${api}/api/cart/items/${productId}*`,
      headers: json(customer),
      body: markedJson({ quantity: 1 }, ['quantity']),
      parameters: { uri: ['productId'], body: ['quantity'], header: [] },
    },
    {
      name: 'API checkout',
      method: 'POST',
      url: `${api}/api/orders`,
      headers: {
        ...json(customer),
        'Idempotency-Key': 'scan-checkout-key-0001*',
      },
      body: markedJson(
        {
          shippingAddress: address,
          payment: { method: 'mock_card', cardToken: 'tok_scan' },
        },
        [
          'shippingAddress.fullName',
          'shippingAddress.line1',
          'shippingAddress.line2',
          'shippingAddress.city',
          'shippingAddress.postalCode',
          'shippingAddress.country',
          'payment.method',
          'payment.cardToken',
        ],
      ),
      parameters: {
        uri: [],
        body: [
          'shippingAddress.fullName',
          'shippingAddress.line1',
          'shippingAddress.line2',
          'shippingAddress.city',
          'shippingAddress.postalCode',
          'shippingAddress.country',
          'payment.method',
          'payment.cardToken',
        ],
        header: ['Idempotency-Key'],
      },
    },
    {
      name: 'API order list',
      method: 'GET',
      url: `${api}/api/orders?${markedQuery({ page: '1', limit: '20' })}`,
      headers: customer,
      parameters: uriOnly(['page', 'limit']),
    },
    {
      name: 'API order by number',
      method: 'GET',
      url: `${api}/api/orders/${orderNumber}*`,
      headers: customer,
      parameters: uriOnly(['orderNumber']),
    },
    // Removing a line with a made-up id leaves the scan cart intact.
    {
      name: 'API remove cart line',
      method: 'DELETE',
      url: `${api}/api/cart/items/00000000-0000-4000-8000-000000000000*`,
      headers: customer,
      parameters: uriOnly(['productId']),
    },
  ];
  if (stack.admin) targets.push(...adminTargets(stack, anonymous));
  return targets;
}

function adminTargets(stack, anonymous) {
  const api = stack.apiUrl;
  const admin = {
    ...anonymous,
    Authorization: `Bearer ${stack.admin.accessToken}`,
  };
  const productId =
    stack.catalog.productId ?? '00000000-0000-0000-0000-000000000000';
  const orderNumber = stack.customer.orderNumber ?? 'SO-0000001';
  return [
    {
      name: 'admin product list',
      method: 'GET',
      url: `${api}/api/admin/products?${markedQuery({ page: '1', limit: '20', status: 'active', q: 'lamp' })}`,
      headers: admin,
      parameters: uriOnly(['page', 'limit', 'status', 'q']),
    },
    {
      name: 'admin product by id',
      method: 'GET',
      url: `${api}/api/admin/products/${productId}*`,
      headers: admin,
      parameters: uriOnly(['id']),
    },
    {
      name: 'admin product update',
      method: 'PATCH',
      url: `${api}/api/admin/products/${productId}*`,
      headers: json(admin),
      body: markedJson(
        {
          name: 'Scanned product',
          description: 'Changed by the scan',
          priceCents: 1999,
        },
        ['name', 'description', 'priceCents'],
      ),
      parameters: {
        uri: ['id'],
        body: ['name', 'description', 'priceCents'],
        header: [],
      },
    },
    {
      name: 'admin order list',
      method: 'GET',
      url: `${api}/api/admin/orders?${markedQuery({ page: '1', limit: '20', status: 'paid', from: '2020-01-01', to: '2099-01-01', q: 'scan' })}`,
      headers: admin,
      parameters: uriOnly(['page', 'limit', 'status', 'from', 'to', 'q']),
    },
    {
      name: 'admin order by number',
      method: 'GET',
      url: `${api}/api/admin/orders/${orderNumber}*`,
      headers: admin,
      parameters: uriOnly(['orderNumber']),
    },
    {
      name: 'admin order status',
      method: 'POST',
      url: `${api}/api/admin/orders/${orderNumber}*/status`,
      headers: json(admin),
      body: markedJson({ status: 'shipped' }, ['status']),
      parameters: { uri: ['orderNumber'], body: ['status'], header: [] },
    },
    {
      name: 'admin sales',
      method: 'GET',
      url: `${api}/api/admin/sales?${markedQuery({ days: '30' })}`,
      headers: admin,
      parameters: uriOnly(['days']),
    },
  ];
}

// Targets on the storefront: its pages that query the API with request
// values, and its /api forwarder with the session cookie and a same-origin
// Origin header, as a browser would send them. The storefront has no
// database connection: each of these values reaches the database only as
// a parameter that apiTargets attacks at full depth, so they run light.
function storefrontTargets(stack) {
  return storefrontRequests(stack).map((target) => ({
    ...target,
    light: true,
  }));
}

function storefrontRequests(stack) {
  const web = stack.webUrl;
  const browser = {
    ...stack.bypassHeaders,
    Cookie: stack.sessionCookie,
    Accept: 'text/html',
  };
  const forwarder = {
    ...stack.bypassHeaders,
    Cookie: stack.sessionCookie,
    Origin: web,
    'Sec-Fetch-Site': 'same-origin',
    Accept: 'application/json',
  };
  const {
    productSlug,
    categorySlug,
    productId = '00000000-0000-0000-0000-000000000000',
  } = stack.catalog;
  const listing = {
    category: categorySlug,
    min: '1',
    max: '5000',
    inStock: 'true',
    sort: 'price_asc',
    page: '1',
  };
  return [
    {
      name: 'search page',
      method: 'GET',
      url: `${web}/search?${markedQuery({ q: 'lamp', page: '1' })}`,
      headers: browser,
      parameters: uriOnly(['q', 'page']),
    },
    {
      name: 'product list page',
      method: 'GET',
      url: `${web}/products?${markedQuery(listing)}`,
      headers: browser,
      parameters: uriOnly(Object.keys(listing)),
    },
    {
      name: 'product page',
      method: 'GET',
      url: `${web}/products/${productSlug}*`,
      headers: browser,
      parameters: uriOnly(['slug']),
    },
    {
      name: 'category page',
      method: 'GET',
      url: `${web}/categories/${categorySlug}*?${markedQuery({ page: '1', sort: 'name_asc' })}`,
      headers: browser,
      parameters: uriOnly(['slug', 'page', 'sort']),
    },
    {
      name: 'storefront API search',
      method: 'GET',
      url: `${web}/api/search?${markedQuery({ q: 'lamp', page: '1', limit: '10' })}`,
      headers: forwarder,
      parameters: uriOnly(['q', 'page', 'limit']),
    },
    {
      name: 'storefront API products',
      method: 'GET',
      url: `${web}/api/products?${markedQuery({ category: categorySlug, sort: 'newest', page: '1' })}`,
      headers: forwarder,
      parameters: uriOnly(['category', 'sort', 'page']),
    },
    {
      name: 'storefront API add to cart',
      method: 'POST',
      url: `${web}/api/cart/items`,
      headers: json(forwarder),
      body: markedJson({ productId, quantity: 1 }, ['productId', 'quantity']),
      parameters: bodyOnly(['productId', 'quantity']),
    },
  ];
}

/** Builds the scan profile for a started stack (see shop-stack.mjs). */
export function shopProfile(stack, { root, log }) {
  const web = stack.webUrl;
  const storefrontHeaders = {
    ...stack.bypassHeaders,
    Cookie: stack.sessionCookie,
  };
  return {
    name: 'storefront and API on 127.0.0.1',
    targets: {
      storefront: web,
      api: stack.apiUrl,
      database: stack.databaseName,
    },
    wapiti: {
      baseUrl: `${web}/`,
      // Nothing listens there: the modules that would call it are not loaded.
      endpointUrl: 'http://127.0.0.1:9/',
      startUrls: [
        `${web}/products`,
        `${web}/products/${stack.catalog.productSlug}`,
        `${web}/categories/${stack.catalog.categorySlug}`,
        `${web}/search?q=lamp`,
        `${web}/cart`,
        `${web}/checkout`,
        `${web}/account`,
        `${web}/account/orders`,
        ...(stack.customer.orderNumber
          ? [`${web}/account/orders/${stack.customer.orderNumber}`]
          : []),
        `${web}/signin`,
        `${web}/register`,
      ],
      // The Origin header makes wapiti's form posts pass the storefront's
      // same-origin check, so its attacks reach the server actions.
      headers: { ...storefrontHeaders, Origin: web },
      maxScanSeconds: Number(process.env.SCAN_WAPITI_CRAWL_SECONDS ?? 90),
      maxAttackSeconds: Number(process.env.SCAN_WAPITI_ATTACK_SECONDS ?? 25),
      depth: 4,
      maxLinksPerPage: 40,
      maxFilesPerDir: 20,
    },
    sqlmap: {
      targets: [...apiTargets(stack), ...storefrontTargets(stack)],
      processes: Number(process.env.SCAN_SQLMAP_PROCESSES ?? 3),
      level: Number(process.env.SCAN_SQLMAP_LEVEL ?? 3),
      risk: Number(process.env.SCAN_SQLMAP_RISK ?? 3),
      timeoutSeconds: 300,
    },
    passive: {
      headers: storefrontHeaders,
      isPersonal: isPersonalUrl,
      targets: [
        { url: `${web}/` },
        { url: `${web}/does-not-exist` },
        { url: `${web}/products/does-not-exist` },
        { url: `${web}/cart`, personal: true },
        { url: `${web}/account`, personal: true },
        { url: `${web}/api/cart`, personal: true },
        { url: `${web}/api/orders`, personal: true },
        { url: `${web}/api/products?limit=2` },
        { url: `${web}/api/products?limit=0` },
        { url: `${web}/api/openapi.json` },
        { url: `${stack.apiUrl}/api/products?limit=2` },
        { url: `${stack.apiUrl}/api/products?limit=0` },
        {
          url: `${stack.apiUrl}/api/cart`,
          personal: true,
          headers: { Authorization: `Bearer ${stack.customer.accessToken}` },
        },
        {
          url: `${stack.apiUrl}/api/auth/me`,
          personal: true,
          headers: { Authorization: `Bearer ${stack.customer.accessToken}` },
        },
        { url: `${stack.apiUrl}/api/does-not-exist` },
        { url: `${stack.apiUrl}/health` },
        { url: `${stack.apiUrl}/api/openapi.json` },
        // Product images are SVG, which a browser runs as a document.
        ...(stack.catalog.imagePath
          ? [
              { url: new URL(stack.catalog.imagePath, web).href },
              { url: new URL(stack.catalog.imagePath, stack.apiUrl).href },
            ]
          : []),
      ],
    },
    audit: { cwd: root },
    verifyWapitiFindings: (findings) =>
      verifyCsrfFindings(findings, { headers: storefrontHeaders }),
    log,
  };
}
