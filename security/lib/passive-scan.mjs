// Fetches every page and API response that the crawl and the target list
// name, then runs the passive checks on each.
import { captureResponse, PROBE_ORIGIN } from './http-capture.mjs';
import { checkResponse } from './passive-checks.mjs';

const MAX_URLS = 400;
const CONCURRENCY = 4;

/**
 * @typedef {object} PassiveTarget
 * @property {string} url
 * @property {boolean} [personal] sent with the session and expected to be private
 * @property {Record<string, string>} [headers]
 */

async function mapWithConcurrency(items, limit, task) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  }
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}

/**
 * Captures each target once as is and once with a cross-site Origin (for
 * the CORS check), then runs the passive checks. Targets past the first
 * 400 are skipped and counted in `coverage.skipped`.
 */
export async function runPassiveScan({ targets, headers = {} }) {
  const started = Date.now();
  const unique = [
    ...new Map(targets.map((target) => [target.url, target])).values(),
  ];
  const selected = unique.slice(0, MAX_URLS);
  const errors = [];

  const captures = await mapWithConcurrency(
    selected,
    CONCURRENCY,
    async (target) => {
      const requestHeaders = { ...headers, ...target.headers };
      const personal = target.personal ?? false;
      try {
        return [
          await captureResponse(target.url, {
            headers: requestHeaders,
            personal,
          }),
          await captureResponse(target.url, {
            headers: requestHeaders,
            personal,
            probeOrigin: PROBE_ORIGIN,
          }),
        ];
      } catch (error) {
        errors.push(`${target.url}: ${error.message}`);
        return [];
      }
    },
  );

  const responses = captures.flat();
  const findings = dedupeFindings(
    responses.flatMap((response) => checkResponse(response)),
  );
  return {
    scanner: 'passive',
    durationMs: Date.now() - started,
    coverage: {
      urls: selected.map(
        (target) =>
          `GET ${target.url} (${target.personal ? 'signed in' : 'public'})`,
      ),
      responses: responses.map(
        (response) => `${response.status} ${response.url}`,
      ),
      skipped: unique.length - selected.length,
    },
    errors,
    findings,
  };
}

// The probe request repeats every header finding of the plain request.
function dedupeFindings(findings) {
  const seen = new Set();
  return findings.filter((item) => {
    const key = `${item.rule}\n${item.title}\n${item.url}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
