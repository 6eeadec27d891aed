// Kubernetes calls the probe routes every few seconds, and nothing in their
// JSON bodies may be cached or rendered. src/proxy.ts skips these paths, so
// this header set replaces the per-request policy it would add.
const PROBE_HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'content-type': 'application/json; charset=utf-8',
} as const;

/** Paths of the liveness and readiness probes, served without the proxy. */
export const PROBE_PATHS: ReadonlySet<string> = new Set(['/health', '/ready']);

/** Builds a probe response: JSON, never cached, with a deny-all CSP. */
export function probeJson(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: PROBE_HEADERS });
}
