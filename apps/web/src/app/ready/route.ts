import { checkApiReadiness } from '@/lib/probes/api-readiness';
import { probeJson } from '@/lib/probes/response';

// Readiness: the storefront can serve pages only while the API can, so it
// reports ready exactly when the API's own /ready returns 200.
export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const readiness = await checkApiReadiness();
  if (readiness.ready) return probeJson({ status: 'ready' });

  return probeJson(
    {
      error: {
        code: 'SERVICE_UNAVAILABLE',
        message: `Not ready: the API ${readiness.reason}.`,
      },
    },
    503,
  );
}
