// Passive checks of captured HTTP responses. Each exported check covers one
// rule of the OWASP ZAP baseline scan (the ZAP rule ids are in PASSIVE_RULES)
// and returns a list of findings. Severities follow ZAP's risk rating, raised
// to medium where the shop's security baseline requires the control, so that
// a missing control fails `npm run scan`.

/**
 * @typedef {object} CapturedResponse
 * @property {string} url
 * @property {string} method
 * @property {number} status
 * @property {Record<string, string[]>} headers lower-case names, every value
 * @property {string} body the first bytes of the body, decoded as UTF-8
 * @property {boolean} personal whether the response belongs to a signed-in user
 * @property {string} [probeOrigin] the cross-site Origin sent with the request
 */

/**
 * @typedef {object} Finding
 * @property {string} scanner
 * @property {string} rule
 * @property {'high' | 'medium' | 'low' | 'info'} severity
 * @property {string} title
 * @property {string} url
 * @property {string} [parameter]
 * @property {string} [evidence]
 * @property {number} [zapRuleId]
 */

/** ZAP passive rule id and severity of each rule that this module checks. */
export const PASSIVE_RULES = {
  'csp-missing': { zapRuleId: 10038, severity: 'medium' },
  'csp-unsafe': { zapRuleId: 10055, severity: 'medium' },
  'hsts-invalid': { zapRuleId: 10035, severity: 'medium' },
  'clickjacking-unprotected': { zapRuleId: 10020, severity: 'medium' },
  'nosniff-missing': { zapRuleId: 10021, severity: 'medium' },
  'x-powered-by': { zapRuleId: 10037, severity: 'medium' },
  'server-version': { zapRuleId: 10036, severity: 'medium' },
  'cookie-no-httponly': { zapRuleId: 10010, severity: 'medium' },
  'cookie-no-secure': { zapRuleId: 10011, severity: 'medium' },
  'cookie-no-samesite': { zapRuleId: 10054, severity: 'medium' },
  'cookie-loose-scope': { zapRuleId: 90033, severity: 'medium' },
  'personal-cacheable': { zapRuleId: 10015, severity: 'medium' },
  'timestamp-disclosure': { zapRuleId: 10096, severity: 'low' },
  'private-ip-disclosure': { zapRuleId: 2, severity: 'low' },
  'error-disclosure': { zapRuleId: 90022, severity: 'medium' },
  'cors-wildcard': { zapRuleId: 10098, severity: 'medium' },
  'cors-reflected-origin': { zapRuleId: 10098, severity: 'high' },
  'permissions-policy-invalid': { zapRuleId: 10063, severity: 'medium' },
  'site-isolation-missing': { zapRuleId: 90004, severity: 'medium' },
  'coep-missing': { zapRuleId: 90004, severity: 'low' },
  'content-type-missing': { zapRuleId: 10019, severity: 'medium' },
  'charset-missing': { zapRuleId: 90011, severity: 'medium' },
};

// Values that the shop's security baseline fixes.
const HSTS_MIN_MAX_AGE_SECONDS = 31_536_000;
const PERMISSIONS_POLICY_DENIED = [
  'camera',
  'microphone',
  'geolocation',
  'payment',
];

// CSP directives that do not fall back to default-src, so a policy without
// them leaves that capability open (ZAP 10055 reports the same three).
const CSP_NO_FALLBACK_DIRECTIVES = [
  'frame-ancestors',
  'form-action',
  'base-uri',
];

// Directives where a scheme-only source such as `https:` or `data:` lets
// any host's script or plugin run. `img-src` may use them: the baseline
// allows `img-src 'self' https: data:`.
const CSP_SCRIPT_LIKE_DIRECTIVES = [
  'default-src',
  'script-src',
  'script-src-elem',
  'script-src-attr',
  'object-src',
  'worker-src',
  'frame-src',
  'child-src',
  'base-uri',
  'form-action',
];
const CSP_UNSAFE_KEYWORDS = [
  "'unsafe-inline'",
  "'unsafe-eval'",
  "'unsafe-hashes'",
];

/** Returns the values of one header, empty when it is absent. */
export function headerValues(response, name) {
  return response.headers[name.toLowerCase()] ?? [];
}

function firstHeader(response, name) {
  return headerValues(response, name)[0];
}

function finding(rule, response, title, evidence) {
  const { zapRuleId, severity } = PASSIVE_RULES[rule];
  return {
    scanner: 'passive',
    rule,
    zapRuleId,
    severity,
    title,
    url: response.url,
    ...(evidence === undefined
      ? {}
      : { evidence: String(evidence).slice(0, 300) }),
  };
}

/** Returns the media type of the response in lower case, or '' without one. */
export function mediaType(response) {
  const contentType = firstHeader(response, 'content-type') ?? '';
  return contentType.split(';')[0].trim().toLowerCase();
}

function isHtml(response) {
  return ['text/html', 'application/xhtml+xml'].includes(mediaType(response));
}

// Documents that a browser can render and that can run script.
function isDocument(response) {
  const type = mediaType(response);
  return isHtml(response) || type === 'image/svg+xml' || type.endsWith('/xml');
}

function isTextual(response) {
  const type = mediaType(response);
  return (
    type.startsWith('text/') ||
    type.endsWith('json') ||
    type.endsWith('+xml') ||
    type.endsWith('/xml') ||
    type.endsWith('javascript')
  );
}

// Bodies worth searching for leaked details: pages and API data, not
// minified script bundles whose string tables would give false alarms.
function isInspectableBody(response) {
  return (
    isHtml(response) ||
    mediaType(response).endsWith('json') ||
    mediaType(response) === 'text/plain'
  );
}

function hasBody(response) {
  return (
    response.status !== 204 &&
    response.status !== 304 &&
    response.body.length > 0
  );
}

/** Parses a Content-Security-Policy value into a map of directive to sources. */
export function parseCsp(value) {
  const directives = new Map();
  for (const part of value.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (!name) continue;
    const key = name.toLowerCase();
    // A repeated directive is ignored by browsers, so the first one wins.
    if (!directives.has(key)) directives.set(key, sources);
  }
  return directives;
}

/** ZAP 10038: every document and every API response needs a CSP header. */
export function checkCspPresent(response, { apiPathPrefix = '/api/' } = {}) {
  const isApi = new URL(response.url).pathname.startsWith(apiPathPrefix);
  if (!isDocument(response) && !isApi) return [];
  if (headerValues(response, 'content-security-policy').length > 0) return [];
  return [
    finding('csp-missing', response, 'Content-Security-Policy header not set'),
  ];
}

/** ZAP 10055: the CSP must not allow wildcards, unsafe keywords or gaps. */
export function checkCspDirectives(response) {
  const findings = [];
  for (const value of headerValues(response, 'content-security-policy')) {
    const directives = parseCsp(value);
    const report = (title) =>
      findings.push(finding('csp-unsafe', response, title, value));

    for (const [name, sources] of directives) {
      if (sources.some((source) => source === '*' || source.startsWith('*:'))) {
        report(`CSP directive ${name} allows any host (*)`);
      }
      for (const keyword of CSP_UNSAFE_KEYWORDS) {
        if (sources.some((source) => source.toLowerCase() === keyword)) {
          report(`CSP directive ${name} allows ${keyword}`);
        }
      }
      const schemeOnly = sources.filter((source) =>
        /^[a-z][a-z0-9+.-]*:$/i.test(source),
      );
      if (CSP_SCRIPT_LIKE_DIRECTIVES.includes(name) && schemeOnly.length > 0) {
        report(
          `CSP directive ${name} allows every host of scheme ${schemeOnly.join(' ')}`,
        );
      }
    }

    if (!directives.has('default-src') && !directives.has('script-src')) {
      report(
        'CSP sets neither default-src nor script-src, so any script may load',
      );
    }
    if (!directives.has('default-src') && !directives.has('object-src')) {
      report(
        'CSP sets neither default-src nor object-src, so plugins may load',
      );
    }
    for (const name of CSP_NO_FALLBACK_DIRECTIVES) {
      if (!directives.has(name))
        report(`CSP does not set ${name}, which has no fallback`);
    }
  }
  return findings;
}

/** ZAP 10035: exactly one HSTS header, max-age of a year, subdomains included. */
export function checkHsts(response) {
  const values = headerValues(response, 'strict-transport-security');
  if (values.length === 0) {
    return [
      finding(
        'hsts-invalid',
        response,
        'Strict-Transport-Security header not set',
      ),
    ];
  }
  if (values.length > 1) {
    return [
      finding(
        'hsts-invalid',
        response,
        'Strict-Transport-Security header set more than once',
        values.join(' | '),
      ),
    ];
  }
  const value = values[0];
  const maxAge = /max-age\s*=\s*"?(\d+)"?/i.exec(value);
  if (!maxAge || Number(maxAge[1]) < HSTS_MIN_MAX_AGE_SECONDS) {
    return [
      finding(
        'hsts-invalid',
        response,
        `Strict-Transport-Security max-age below ${HSTS_MIN_MAX_AGE_SECONDS} seconds`,
        value,
      ),
    ];
  }
  if (!/includesubdomains/i.test(value)) {
    return [
      finding(
        'hsts-invalid',
        response,
        'Strict-Transport-Security lacks includeSubDomains',
        value,
      ),
    ];
  }
  return [];
}

/** ZAP 10020: documents must forbid framing by other origins. */
export function checkAntiClickjacking(response) {
  if (!isDocument(response)) return [];
  const frameOptions = headerValues(response, 'x-frame-options');
  if (frameOptions.length > 1) {
    return [
      finding(
        'clickjacking-unprotected',
        response,
        'X-Frame-Options header set more than once',
        frameOptions.join(' | '),
      ),
    ];
  }
  const frameAncestors = headerValues(response, 'content-security-policy')
    .map((value) => parseCsp(value).get('frame-ancestors'))
    .find((sources) => sources !== undefined);
  if (frameAncestors) {
    const open = frameAncestors.some(
      (source) => source === '*' || /^[a-z]+:$/i.test(source),
    );
    if (!open) return [];
    return [
      finding(
        'clickjacking-unprotected',
        response,
        'CSP frame-ancestors allows any host',
        frameAncestors.join(' '),
      ),
    ];
  }
  const value = frameOptions[0]?.trim().toUpperCase();
  if (value === 'DENY' || value === 'SAMEORIGIN') return [];
  return [
    finding(
      'clickjacking-unprotected',
      response,
      'Neither CSP frame-ancestors nor X-Frame-Options forbids framing',
      frameOptions[0],
    ),
  ];
}

/** ZAP 10021: every response must carry `X-Content-Type-Options: nosniff`. */
export function checkNosniff(response) {
  if (!hasBody(response)) return [];
  const value = firstHeader(response, 'x-content-type-options');
  if (value?.trim().toLowerCase() === 'nosniff') return [];
  return [
    finding(
      'nosniff-missing',
      response,
      'X-Content-Type-Options: nosniff not set',
      value,
    ),
  ];
}

/** ZAP 10037: no `X-Powered-By` header. */
export function checkPoweredBy(response) {
  const values = headerValues(response, 'x-powered-by');
  if (values.length === 0) return [];
  return [
    finding(
      'x-powered-by',
      response,
      'X-Powered-By header reveals the framework',
      values.join(' | '),
    ),
  ];
}

/** ZAP 10036 and 10061: no version in `Server` or framework version headers. */
export function checkServerBanner(response) {
  const findings = [];
  const server = firstHeader(response, 'server');
  if (server && /\d/.test(server)) {
    findings.push(
      finding(
        'server-version',
        response,
        'Server header reveals a version',
        server,
      ),
    );
  }
  for (const name of [
    'x-aspnet-version',
    'x-aspnetmvc-version',
    'x-runtime',
    'x-version',
  ]) {
    const value = firstHeader(response, name);
    if (value)
      findings.push(
        finding(
          'server-version',
          response,
          `${name} header reveals a version`,
          value,
        ),
      );
  }
  return findings;
}

/** Parses one Set-Cookie value into its name, value and lower-case attributes. */
export function parseSetCookie(header) {
  const [pair, ...attributeParts] = header.split(';');
  const separator = pair.indexOf('=');
  const name = separator === -1 ? '' : pair.slice(0, separator).trim();
  const value =
    separator === -1 ? pair.trim() : pair.slice(separator + 1).trim();
  const attributes = new Map();
  for (const part of attributeParts) {
    const [key, ...rest] = part.split('=');
    attributes.set(key.trim().toLowerCase(), rest.join('=').trim());
  }
  return { name, value, attributes };
}

// A Set-Cookie that clears a cookie carries no secret, so its flags do not
// matter (ZAP skips these too).
function isDeletion(cookie) {
  if (cookie.value === '' || cookie.value === '""') return true;
  if (
    cookie.attributes.get('max-age') !== undefined &&
    Number(cookie.attributes.get('max-age')) <= 0
  )
    return true;
  const expires = cookie.attributes.get('expires');
  return expires !== undefined && Date.parse(expires) < Date.now();
}

/** ZAP 10010, 10011, 10054 and 90033: the flags and scope of each cookie. */
export function checkCookies(response) {
  const findings = [];
  for (const header of headerValues(response, 'set-cookie')) {
    const cookie = parseSetCookie(header);
    if (isDeletion(cookie)) continue;
    const evidence = `${cookie.name}; ${[...cookie.attributes.keys()].join('; ')}`;
    const report = (rule, title) =>
      findings.push(finding(rule, response, title, evidence));

    if (!cookie.attributes.has('httponly'))
      report('cookie-no-httponly', `Cookie ${cookie.name} lacks HttpOnly`);
    if (!cookie.attributes.has('secure'))
      report('cookie-no-secure', `Cookie ${cookie.name} lacks Secure`);

    const sameSite = cookie.attributes.get('samesite')?.toLowerCase();
    if (sameSite !== 'lax' && sameSite !== 'strict') {
      report(
        'cookie-no-samesite',
        `Cookie ${cookie.name} lacks SameSite=Lax or Strict`,
      );
    }

    if (cookie.attributes.has('domain')) {
      report(
        'cookie-loose-scope',
        `Cookie ${cookie.name} is scoped to domain ${cookie.attributes.get('domain')}`,
      );
    }
    if (
      cookie.name.startsWith('__Host-') &&
      cookie.attributes.get('path') !== '/'
    ) {
      report(
        'cookie-loose-scope',
        `Cookie ${cookie.name} uses the __Host- prefix without Path=/`,
      );
    }
  }
  return findings;
}

/** ZAP 10015: personal responses must not be stored by any cache. */
export function checkPersonalCaching(response) {
  const setsCookie = headerValues(response, 'set-cookie').length > 0;
  if (!response.personal && !setsCookie) return [];
  const value = headerValues(response, 'cache-control').join(', ');
  if (/(^|[\s,])no-store($|[\s,])/i.test(value)) return [];
  return [
    finding(
      'personal-cacheable',
      response,
      'Personal response lacks Cache-Control: no-store',
      value || '(no Cache-Control)',
    ),
  ];
}

// ZAP 10096 looks for Unix times in seconds within about ten years of now.
const TEN_YEARS_SECONDS = 10 * 365 * 24 * 3600;

/** ZAP 10096: Unix timestamps in pages and API bodies. */
export function checkTimestamps(response, { now = Date.now() } = {}) {
  if (!isInspectableBody(response)) return [];
  const nowSeconds = Math.floor(now / 1000);
  for (const match of response.body.matchAll(/(?<![\w.-])\d{10}(?![\w.-])/g)) {
    const seconds = Number(match[0]);
    if (Math.abs(seconds - nowSeconds) <= TEN_YEARS_SECONDS) {
      return [
        finding(
          'timestamp-disclosure',
          response,
          'Body contains a Unix timestamp',
          match[0],
        ),
      ];
    }
  }
  return [];
}

const PRIVATE_IPV4 =
  /(?<![\d.])(10\.\d{1,3}\.\d{1,3}\.\d{1,3}|172\.(1[6-9]|2\d|3[01])\.\d{1,3}\.\d{1,3}|192\.168\.\d{1,3}\.\d{1,3}|169\.254\.\d{1,3}\.\d{1,3})(?![\d.])/;

/** ZAP 2: private (RFC 1918) or link-local IPv4 addresses in bodies. */
export function checkPrivateIp(response) {
  if (!isInspectableBody(response)) return [];
  const match = PRIVATE_IPV4.exec(response.body);
  if (!match) return [];
  return [
    finding(
      'private-ip-disclosure',
      response,
      'Body contains a private IP address',
      match[0],
    ),
  ];
}

// Text that only a stack trace or a raw database or library error contains.
const ERROR_DISCLOSURE_PATTERNS = [
  /\n\s+at [\w$.<>[\] ]+ \((?:file:\/\/)?\/[^)]+:\d+:\d+\)/,
  /\bat [\w$.<>]+ \((?:node:)?internal\/[^)]+\)/,
  /\/node_modules\/[\w@.-]+\//,
  /Traceback \(most recent call last\)/,
  /Invalid `prisma\.\w+/,
  /PrismaClient\w*Error/,
  /\bsyntax error at or near\b/i,
  /\bunterminated quoted string\b/i,
  /\bSQLSTATE\[/,
  /\bpg_(?:query|exec)\b/,
  /\b(?:ECONNREFUSED|ENOTFOUND) \d/,
];

/** ZAP 90022 and 10023: stack traces and raw errors in bodies. */
export function checkErrorDisclosure(response) {
  if (!isInspectableBody(response)) return [];
  for (const pattern of ERROR_DISCLOSURE_PATTERNS) {
    const match = pattern.exec(response.body);
    if (match)
      return [
        finding(
          'error-disclosure',
          response,
          'Body contains a stack trace or raw error text',
          match[0].trim(),
        ),
      ];
  }
  return [];
}

/** ZAP 10098: no wildcard CORS and no reflected Origin. */
export function checkCors(response) {
  const allowOrigin = firstHeader(
    response,
    'access-control-allow-origin',
  )?.trim();
  if (!allowOrigin) return [];
  if (allowOrigin === '*' || allowOrigin === 'null') {
    return [
      finding(
        'cors-wildcard',
        response,
        `Access-Control-Allow-Origin is ${allowOrigin}`,
        allowOrigin,
      ),
    ];
  }
  if (response.probeOrigin && allowOrigin === response.probeOrigin) {
    const credentials =
      firstHeader(response, 'access-control-allow-credentials')?.trim() ===
      'true';
    const rule = credentials ? 'cors-reflected-origin' : 'cors-wildcard';
    return [
      finding(
        rule,
        response,
        `Access-Control-Allow-Origin reflects a foreign origin${credentials ? ' with credentials' : ''}`,
        allowOrigin,
      ),
    ];
  }
  return [];
}

/** ZAP 10063: Permissions-Policy must deny the powerful features. */
export function checkPermissionsPolicy(response) {
  if (!hasBody(response)) return [];
  const value = headerValues(response, 'permissions-policy').join(', ');
  if (!value)
    return [
      finding(
        'permissions-policy-invalid',
        response,
        'Permissions-Policy header not set',
      ),
    ];
  const open = PERMISSIONS_POLICY_DENIED.filter(
    (feature) => !new RegExp(`(^|[\\s,])${feature}=\\(\\)`, 'i').test(value),
  );
  if (open.length === 0) return [];
  return [
    finding(
      'permissions-policy-invalid',
      response,
      `Permissions-Policy does not deny ${open.join(', ')}`,
      value,
    ),
  ];
}

/** ZAP 90004: cross-origin isolation headers against Spectre-style reads. */
export function checkCrossOriginIsolation(response) {
  if (!hasBody(response)) return [];
  const findings = [];
  const resourcePolicy = firstHeader(response, 'cross-origin-resource-policy')
    ?.trim()
    .toLowerCase();
  if (resourcePolicy !== 'same-origin' && resourcePolicy !== 'same-site') {
    findings.push(
      finding(
        'site-isolation-missing',
        response,
        'Cross-Origin-Resource-Policy is not same-origin or same-site',
        resourcePolicy,
      ),
    );
  }
  if (isHtml(response)) {
    const openerPolicy = firstHeader(response, 'cross-origin-opener-policy')
      ?.trim()
      .toLowerCase();
    if (openerPolicy !== 'same-origin') {
      findings.push(
        finding(
          'site-isolation-missing',
          response,
          'Cross-Origin-Opener-Policy is not same-origin',
          openerPolicy,
        ),
      );
    }
    if (!firstHeader(response, 'cross-origin-embedder-policy')) {
      findings.push(
        finding(
          'coep-missing',
          response,
          'Cross-Origin-Embedder-Policy header not set',
        ),
      );
    }
  }
  return findings;
}

/** ZAP 10019 and 90011: every body has a Content-Type, text ones a charset. */
export function checkContentType(response) {
  if (!hasBody(response)) return [];
  const contentType = firstHeader(response, 'content-type');
  if (!contentType)
    return [
      finding(
        'content-type-missing',
        response,
        'Response with a body lacks Content-Type',
      ),
    ];
  if (!isTextual(response)) return [];
  if (/;\s*charset\s*=\s*[\w-]+/i.test(contentType)) return [];
  return [
    finding(
      'charset-missing',
      response,
      'Text response lacks a charset in Content-Type',
      contentType,
    ),
  ];
}

/** Every check, in report order. */
export const PASSIVE_CHECKS = [
  checkCspPresent,
  checkCspDirectives,
  checkHsts,
  checkAntiClickjacking,
  checkNosniff,
  checkPoweredBy,
  checkServerBanner,
  checkCookies,
  checkPersonalCaching,
  checkTimestamps,
  checkPrivateIp,
  checkErrorDisclosure,
  checkCors,
  checkPermissionsPolicy,
  checkCrossOriginIsolation,
  checkContentType,
];

/** Runs every passive check on one response. */
export function checkResponse(response, options = {}) {
  return PASSIVE_CHECKS.flatMap((check) => check(response, options));
}
