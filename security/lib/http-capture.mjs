// Fetches URLs with node:http and keeps every header line as sent, which
// fetch() would merge: a doubled Strict-Transport-Security header must stay
// visible to the passive checks.
import http from 'node:http';

const MAX_BODY_BYTES = 1024 * 1024;
const REQUEST_TIMEOUT_MS = 15_000;

// An origin under the reserved .invalid top-level domain (RFC 2606), sent
// only as a header value so that a server reflecting it shows up.
export const PROBE_ORIGIN = 'https://cross-site.scan.invalid';

/**
 * Sends one request and captures status, headers and up to 1 MiB of body.
 * Only http: URLs on the loopback interface are accepted, because the scan
 * must not send traffic to any other host.
 */
export function captureResponse(
  url,
  { method = 'GET', headers = {}, body, personal = false, probeOrigin } = {},
) {
  const target = new URL(url);
  if (
    target.protocol !== 'http:' ||
    !['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)
  ) {
    return Promise.reject(
      new Error(
        `Refusing to fetch ${url}: the scan only targets http://127.0.0.1`,
      ),
    );
  }
  const requestHeaders = {
    ...headers,
    ...(probeOrigin ? { origin: probeOrigin } : {}),
  };

  return new Promise((resolve, reject) => {
    const request = http.request(
      target,
      { method, headers: requestHeaders, timeout: REQUEST_TIMEOUT_MS },
      (response) => {
        const chunks = [];
        let size = 0;
        response.on('data', (chunk) => {
          if (size < MAX_BODY_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => {
          resolve({
            url,
            method,
            status: response.statusCode ?? 0,
            headers: groupRawHeaders(response.rawHeaders),
            body: Buffer.concat(chunks)
              .subarray(0, MAX_BODY_BYTES)
              .toString('utf8'),
            personal,
            ...(probeOrigin ? { probeOrigin } : {}),
          });
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () =>
      request.destroy(
        new Error(`Request to ${url} timed out after ${REQUEST_TIMEOUT_MS} ms`),
      ),
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Groups Node's flat [name, value, ...] header list by lower-case name. */
export function groupRawHeaders(rawHeaders) {
  const headers = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    (headers[name] ??= []).push(rawHeaders[i + 1]);
  }
  return headers;
}
