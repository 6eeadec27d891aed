// Runs wapiti, sqlmap, the passive checks and npm audit against one target
// profile and returns the combined summary. The self-test and the real scan
// share this pipeline, so the self-test proves what the real scan can catch.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditUnavailableError, runNpmAudit } from './npm-audit.mjs';
import { runPassiveScan } from './passive-scan.mjs';
import { buildSummary } from './report.mjs';
import { runSqlmap } from './sqlmap.mjs';
import { crawledGetUrls, runWapiti } from './wapiti.mjs';

/**
 * @typedef {object} ScanProfile
 * @property {string} name
 * @property {Record<string, string>} targets labels and URLs for the report
 * @property {import('./wapiti.mjs').WapitiOptions} wapiti without workDir
 * @property {Omit<import('./sqlmap.mjs').SqlmapOptions, 'workDir'>} sqlmap
 * @property {{ targets: import('./passive-scan.mjs').PassiveTarget[], headers: Record<string, string>, isPersonal: (url: URL) => boolean }} passive
 * @property {{ cwd: string } | undefined} audit
 * @property {(findings: object[]) => Promise<object[]>} [verifyWapitiFindings] re-rates findings after checking them
 * @property {(message: string) => void} [log]
 */

async function settle(scanner, run) {
  try {
    return await run();
  } catch (error) {
    const status =
      error instanceof AuditUnavailableError ? 'unavailable' : 'error';
    return { scanner, status, error: error.message, findings: [] };
  }
}

/** Runs every scanner of the profile in `workDir` and returns the summary. */
export async function runScanPipeline(profile, workDir) {
  const log = profile.log ?? (() => {});
  const startedAt = new Date();
  for (const folder of ['wapiti', 'sqlmap'])
    await mkdir(join(workDir, folder), { recursive: true });

  // wapiti and sqlmap mostly wait on the servers, so they run side by side.
  log('wapiti and sqlmap started');
  const wapitiRun = settle('wapiti', () =>
    runWapiti({ ...profile.wapiti, workDir: join(workDir, 'wapiti') }),
  );
  const sqlmapRun = settle('sqlmap', () =>
    runSqlmap({ ...profile.sqlmap, workDir: join(workDir, 'sqlmap') }),
  );

  const wapiti = await wapitiRun;
  if (profile.verifyWapitiFindings && wapiti.findings.length > 0) {
    wapiti.findings = await profile.verifyWapitiFindings(wapiti.findings);
  }
  log(
    `wapiti finished: ${wapiti.status ?? `${wapiti.findings.length} findings`}`,
  );
  const crawledTargets = (wapiti.crawl ? crawledGetUrls(wapiti.crawl) : []).map(
    (url) => ({ url }),
  );
  const passiveTargets = [...profile.passive.targets, ...crawledTargets].map(
    (target) => ({
      ...target,
      personal:
        target.personal ?? profile.passive.isPersonal(new URL(target.url)),
    }),
  );
  const passive = await settle('passive', () =>
    runPassiveScan({
      targets: passiveTargets,
      headers: profile.passive.headers,
    }),
  );
  log(`passive checks finished: ${passive.findings.length} findings`);

  const sqlmap = await sqlmapRun;
  log(
    `sqlmap finished: ${sqlmap.status ?? `${sqlmap.findings.length} findings`}`,
  );

  const results = [wapiti, sqlmap, passive];
  if (profile.audit) {
    const audit = await settle('npm-audit', () =>
      runNpmAudit({
        cwd: profile.audit.cwd,
        logFile: join(workDir, 'npm-audit.log'),
      }),
    );
    log(
      `npm audit finished: ${audit.status ?? `${audit.findings.length} findings`}`,
    );
    results.push(audit);
  }

  const { crawl: _crawl, ...wapitiResult } = wapiti;
  results[0] = wapitiResult;
  return buildSummary({
    name: profile.name,
    targets: profile.targets,
    results,
    startedAt,
  });
}
