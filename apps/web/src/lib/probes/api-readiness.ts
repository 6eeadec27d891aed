import { getConfig } from '../config';

/**
 * Time allowed for the API's /ready. The web readiness probe times out
 * after 2 s (deploy/k8s/base/web-deployment.yaml), so the API check must
 * return well within that.
 */
export const API_READY_TIMEOUT_MS = 1_000;

/** Outcome of one API readiness check. A `reason` completes "the API …". */
export type ApiReadiness = { ready: true } | { ready: false; reason: string };

// Readiness is probed every 5 s, so only changes are logged.
let lastLoggedFailure: string | null = null;

/** Calls the API's GET /ready and reports whether it returned 200. */
export async function checkApiReadiness(): Promise<ApiReadiness> {
  const url = new URL('/ready', getConfig().API_URL);
  let result: ApiReadiness;

  try {
    const response = await fetch(url, {
      cache: 'no-store',
      redirect: 'manual',
      signal: AbortSignal.timeout(API_READY_TIMEOUT_MS),
    });
    // Drain the body so the keep-alive connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
    result =
      response.status === 200
        ? { ready: true }
        : {
            ready: false,
            reason: `returned status ${response.status} from /ready`,
          };
  } catch (error) {
    const timedOut =
      error instanceof DOMException && error.name === 'TimeoutError';
    result = {
      ready: false,
      reason: timedOut
        ? `timed out after ${API_READY_TIMEOUT_MS} ms`
        : 'is unreachable',
    };
  }

  logChange(result, url);
  return result;
}

function logChange(result: ApiReadiness, url: URL): void {
  const failure = result.ready ? null : result.reason;
  if (failure === lastLoggedFailure) return;

  if (failure === null) {
    console.info(JSON.stringify({ event: 'api_ready', url: url.origin }));
  } else {
    console.error(
      JSON.stringify({
        event: 'api_not_ready',
        url: url.origin,
        reason: failure,
      }),
    );
  }
  lastLoggedFailure = failure;
}
