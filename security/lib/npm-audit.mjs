// Runs `npm audit --omit=dev` on the repository and turns each advisory of
// a production dependency into a finding with npm's severity.
import { runProcess } from './run-process.mjs';

const SEVERITIES = {
  critical: 'high',
  high: 'high',
  moderate: 'medium',
  low: 'low',
  info: 'info',
};

/** Turns the JSON output of `npm audit --json` (npm 7 and later) into findings. */
export function parseNpmAudit(report) {
  return Object.values(report.vulnerabilities ?? {}).map((vulnerability) => {
    const advisories = vulnerability.via.filter(
      (via) => typeof via === 'object',
    );
    return {
      scanner: 'npm-audit',
      rule: vulnerability.name,
      // npm's "critical" and "high" both fail the scan; "moderate" is
      // reported as medium and fails it too.
      severity: SEVERITIES[vulnerability.severity] ?? 'medium',
      npmSeverity: vulnerability.severity,
      title: `${vulnerability.name} ${vulnerability.range}: ${advisories.map((advisory) => advisory.title).join('; ') || `through ${vulnerability.via.join(', ')}`}`,
      url: advisories[0]?.url ?? '',
      evidence: vulnerability.fixAvailable
        ? 'fix available'
        : 'no fix available',
    };
  });
}

/** Raised when the registry's advisory endpoint cannot be reached. */
export class AuditUnavailableError extends Error {}

/** Runs the audit in `cwd`; npm exits 1 when it finds advisories. */
export async function runNpmAudit({ cwd, logFile }) {
  const started = Date.now();
  const result = await runProcess('npm', ['audit', '--omit=dev', '--json'], {
    cwd,
    logFile,
    timeoutMs: 120_000,
  });
  let report;
  try {
    report = JSON.parse(result.stdout);
  } catch (error) {
    throw new Error(
      `npm audit printed no JSON (exit code ${result.code}); see ${logFile}`,
      { cause: error },
    );
  }
  if (report.error || report.statusCode) {
    const message = report.message ?? report.error?.summary ?? 'unknown error';
    throw new AuditUnavailableError(
      `npm audit could not query the registry's advisory endpoint (${message}), so the production dependencies were not audited here. The npm-audit job of .github/workflows/security.yml audits them.`,
    );
  }
  return {
    scanner: 'npm-audit',
    durationMs: Date.now() - started,
    coverage: {
      dependencies:
        report.metadata?.dependencies?.prod ??
        report.metadata?.dependencies?.total ??
        0,
    },
    findings: parseNpmAudit(report),
  };
}
