import { probeJson } from '@/lib/probes/response';

// Liveness: answering at all shows that the process is running. It checks
// no dependency, so an API outage never restarts the storefront.
export const dynamic = 'force-dynamic';

export function GET(): Response {
  return probeJson({ status: 'ok' });
}
