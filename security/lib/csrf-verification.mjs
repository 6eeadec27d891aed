// wapiti's csrf module flags every POST form without a token field. The
// storefront defends its forms by checking Origin and Sec-Fetch-Site
// instead, so for each such finding the scan sends the forged requests that
// a token would stop. A finding whose forgeries all get 403 is kept as info
// with the statuses as evidence. Any other status keeps it medium.
import { captureResponse, PROBE_ORIGIN } from './http-capture.mjs';

const CSRF_RULE = 'Cross Site Request Forgery';

// The forged requests: a browser's cross-site form post, and a client that
// sends neither header.
const FORGERIES = [
  {
    label: 'cross-site Origin',
    headers: { origin: PROBE_ORIGIN, 'sec-fetch-site': 'cross-site' },
  },
  { label: 'no Origin and no Sec-Fetch-Site', headers: {} },
];

/** Replays forged posts for each wapiti CSRF finding and rates it by the result. */
export async function verifyCsrfFindings(findings, { headers = {} } = {}) {
  const verified = [];
  for (const item of findings) {
    if (item.scanner !== 'wapiti' || item.rule !== CSRF_RULE) {
      verified.push(item);
      continue;
    }
    const statuses = [];
    for (const forgery of FORGERIES) {
      const response = await captureResponse(item.url, {
        method: 'POST',
        headers: {
          ...headers,
          ...forgery.headers,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'scan=csrf-probe',
      }).catch((error) => ({ status: `failed (${error.message})` }));
      statuses.push(`${forgery.label}: ${response.status}`);
    }
    const rejected = statuses.every((status) => status.endsWith(': 403'));
    verified.push({
      ...item,
      severity: rejected ? 'info' : item.severity,
      title: rejected
        ? `${item.title} (forged posts rejected with 403, so Origin checks stand in for the token)`
        : item.title,
      evidence: `forged POST ${statuses.join(', ')}`,
    });
  }
  return verified;
}
