// Builds the scan summary from the scanner results and writes it as JSON
// and Markdown. The scan fails on any medium or high finding and on any
// scanner that could not run.
import { writeFile } from 'node:fs/promises';

export const SEVERITY_ORDER = ['high', 'medium', 'low', 'info'];
const FAILING_SEVERITIES = new Set(['high', 'medium']);
const MAX_LISTED_ITEMS = 60;

/** Counts findings by severity, every severity present even when zero. */
export function countBySeverity(findings) {
  const counts = Object.fromEntries(
    SEVERITY_ORDER.map((severity) => [severity, 0]),
  );
  for (const item of findings)
    counts[item.severity] = (counts[item.severity] ?? 0) + 1;
  return counts;
}

/**
 * Combines scanner results into one summary. A result is either a scanner's
 * return value or `{ scanner, status: 'error' | 'unavailable', error }`.
 */
export function buildSummary({
  name,
  targets,
  results,
  startedAt,
  finishedAt = new Date(),
}) {
  const scanners = results.map((result) => {
    const findings = result.findings ?? [];
    const counts = countBySeverity(findings);
    const failing = findings.some((item) =>
      FAILING_SEVERITIES.has(item.severity),
    );
    return {
      scanner: result.scanner,
      status: result.status ?? (failing ? 'failed' : 'passed'),
      durationMs: result.durationMs ?? 0,
      coverage: result.coverage ?? {},
      counts,
      ...(result.error ? { error: result.error } : {}),
      ...(result.timedOut ? { timedOut: true } : {}),
    };
  });
  const findings = results.flatMap((result) => result.findings ?? []);
  const failReasons = [];
  for (const scanner of scanners) {
    if (scanner.status === 'error')
      failReasons.push(`${scanner.scanner} could not run: ${scanner.error}`);
    if (scanner.status === 'failed')
      failReasons.push(
        `${scanner.scanner} reported ${scanner.counts.high} high and ${scanner.counts.medium} medium findings`,
      );
  }
  // An unavailable scanner neither passes nor fails the scan. The summary
  // lists it apart so that "passed" is never read as covering it.
  const notRun = scanners
    .filter((scanner) => scanner.status === 'unavailable')
    .map((scanner) => `${scanner.scanner} did not run: ${scanner.error}`);
  return {
    name,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    targets,
    passed: failReasons.length === 0,
    failReasons,
    notRun,
    counts: countBySeverity(findings),
    scanners,
    findings,
  };
}

function escapeCell(text) {
  return String(text ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ');
}

function listSection(title, items) {
  if (!items || items.length === 0) return [];
  const shown = items
    .slice(0, MAX_LISTED_ITEMS)
    .map((item) => `- \`${escapeCell(item)}\``);
  const rest =
    items.length > MAX_LISTED_ITEMS
      ? [
          `- ... and ${items.length - MAX_LISTED_ITEMS} more (see the JSON summary)`,
        ]
      : [];
  return [`${title} (${items.length}):`, '', ...shown, ...rest, ''];
}

// Findings of one rule often repeat on many URLs, so they are grouped.
function groupFindings(findings) {
  const groups = new Map();
  for (const item of findings) {
    const key = `${item.scanner}\n${item.severity}\n${item.title}\n${item.parameter ?? ''}`;
    const group = groups.get(key) ?? { ...item, urls: [] };
    if (!group.urls.includes(item.url)) group.urls.push(item.url);
    groups.set(key, group);
  }
  return [...groups.values()].sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
  );
}

function formatDuration(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Renders the summary as Markdown. */
export function renderMarkdown(summary) {
  const lines = [
    `# Security scan: ${summary.name}`,
    '',
    `Result: **${summary.passed ? 'passed' : 'FAILED'}**, ${summary.counts.high} high, ${summary.counts.medium} medium, ${summary.counts.low} low, ${summary.counts.info} info findings, in ${formatDuration(summary.durationMs)} (started ${summary.startedAt}).`,
    '',
  ];
  if (summary.failReasons.length > 0)
    lines.push(
      ...summary.failReasons.map((reason) => `- ${escapeCell(reason)}`),
      '',
    );
  if (summary.notRun?.length > 0) {
    lines.push(
      'Not checked by this run, so the result above does not cover it:',
      '',
      ...summary.notRun.map((reason) => `- ${escapeCell(reason)}`),
      '',
    );
  }

  lines.push(
    '## Targets',
    '',
    ...Object.entries(summary.targets).map(
      ([label, url]) => `- ${label}: ${url}`,
    ),
    '',
  );
  if (summary.notes?.length > 0)
    lines.push('## Notes', '', ...summary.notes.map((note) => `- ${note}`), '');

  lines.push(
    '## Scanners',
    '',
    '| Scanner | Status | Time | High | Medium | Low | Info |',
    '|---|---|---|---|---|---|---|',
  );
  for (const scanner of summary.scanners) {
    const { high, medium, low, info } = scanner.counts;
    let statusNote = '';
    if (scanner.timedOut) statusNote = ' (time limit reached)';
    if (scanner.status === 'unavailable') statusNote = ' (not run)';
    lines.push(
      `| ${scanner.scanner} | ${scanner.status}${statusNote} | ${formatDuration(scanner.durationMs)} | ${high} | ${medium} | ${low} | ${info} |`,
    );
  }
  lines.push('');
  for (const scanner of summary.scanners.filter((item) => item.error)) {
    lines.push(`- ${scanner.scanner}: ${escapeCell(scanner.error)}`);
  }
  if (summary.scanners.some((item) => item.error)) lines.push('');

  lines.push('## Coverage', '');
  for (const scanner of summary.scanners) {
    lines.push(`### ${scanner.scanner}`, '');
    for (const [key, value] of Object.entries(scanner.coverage)) {
      if (Array.isArray(value)) lines.push(...listSection(key, value));
      else lines.push(`${key}: ${value}`, '');
    }
  }

  lines.push('## Findings', '');
  const groups = groupFindings(summary.findings);
  if (groups.length === 0) lines.push('None.', '');
  else {
    lines.push(
      '| Severity | Scanner | Finding | Parameter | URLs | Evidence |',
      '|---|---|---|---|---|---|',
    );
    for (const group of groups) {
      const urls =
        group.urls.slice(0, 3).join(', ') +
        (group.urls.length > 3 ? ` and ${group.urls.length - 3} more` : '');
      const rule = group.zapRuleId ? ` (ZAP ${group.zapRuleId})` : '';
      lines.push(
        `| ${group.severity} | ${group.scanner} | ${escapeCell(group.title)}${rule} | ${escapeCell(group.parameter)} | ${escapeCell(urls)} | ${escapeCell(group.evidence?.slice(0, 160))} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** Writes `<base>.json` and `<base>.md` and returns their paths. */
export async function writeSummary(summary, basePath) {
  const paths = { json: `${basePath}.json`, markdown: `${basePath}.md` };
  await writeFile(paths.json, `${JSON.stringify(summary, null, 2)}\n`);
  await writeFile(paths.markdown, renderMarkdown(summary));
  return paths;
}
