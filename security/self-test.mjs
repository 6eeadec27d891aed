// Runs the scan pipeline against the deliberately vulnerable fixture and
// checks that each planted flaw is reported: an SQL injection (sqlmap), a
// reflected XSS (wapiti) and a page without a CSP (passive checks). A scan
// that misses any of them cannot be trusted on the real shop.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVulnerableServer } from './fixture/vulnerable-server.mjs';
import { runScanPipeline } from './lib/pipeline.mjs';
import { markedQuery } from './lib/sqlmap.mjs';

/** Builds the scan profile for the fixture at `baseUrl`. */
export function fixtureProfile(baseUrl, log) {
  return {
    name: 'self-test against the vulnerable fixture',
    targets: { fixture: baseUrl },
    wapiti: {
      baseUrl: `${baseUrl}/`,
      // Nothing listens there: the modules that would call it are not loaded.
      endpointUrl: 'http://127.0.0.1:9/',
      maxScanSeconds: 120,
      maxAttackSeconds: 30,
    },
    sqlmap: {
      targets: [
        {
          name: 'product search',
          method: 'GET',
          url: `${baseUrl}/products?${markedQuery({ search: 'lamp' })}`,
          parameters: { uri: ['search'], body: [] },
        },
        {
          name: 'greeting',
          method: 'GET',
          url: `${baseUrl}/greet?${markedQuery({ name: 'visitor' })}`,
          parameters: { uri: ['name'], body: [] },
        },
      ],
    },
    passive: {
      targets: [{ url: `${baseUrl}/` }, { url: `${baseUrl}/legacy` }],
      headers: {},
      isPersonal: () => false,
    },
    audit: undefined,
    log,
  };
}

/** Lists each expectation of the self-test with whether the summary meets it. */
export function evaluateSelfTest(summary, baseUrl) {
  const findings = summary.findings;
  const path = (item) => new URL(item.url).pathname;
  return [
    {
      name: 'sqlmap reports the SQL injection in /products search',
      ok: findings.some(
        (item) =>
          item.scanner === 'sqlmap' &&
          item.severity === 'high' &&
          path(item) === '/products' &&
          item.parameter === 'search',
      ),
    },
    {
      name: 'wapiti reports the reflected XSS in /greet name',
      ok: findings.some(
        (item) =>
          item.scanner === 'wapiti' &&
          item.rule === 'Cross Site Scripting' &&
          path(item) === '/greet' &&
          item.parameter === 'name',
      ),
    },
    {
      name: 'passive checks report the missing CSP on /legacy',
      ok: findings.some(
        (item) =>
          item.scanner === 'passive' &&
          item.rule === 'csp-missing' &&
          item.url === `${baseUrl}/legacy`,
      ),
    },
    {
      name: 'passive checks report nothing on the hardened index page',
      ok: !findings.some(
        (item) =>
          item.scanner === 'passive' &&
          item.url === `${baseUrl}/` &&
          ['high', 'medium'].includes(item.severity),
      ),
    },
    {
      name: 'sqlmap does not report the greeting, which has no SQL',
      ok: !findings.some(
        (item) => item.scanner === 'sqlmap' && path(item) === '/greet',
      ),
    },
    { name: 'the summary fails the scan', ok: summary.passed === false },
  ];
}

/** Starts the fixture, scans it and returns the summary and the checks. */
export async function runSelfTest({ adminUrl, port = 0, log } = {}) {
  const fixture = await startVulnerableServer({ adminUrl, port });
  const workDir = await mkdtemp(join(tmpdir(), 'scan-self-test-'));
  try {
    const summary = await runScanPipeline(
      fixtureProfile(fixture.url, log),
      workDir,
    );
    return { summary, checks: evaluateSelfTest(summary, fixture.url), workDir };
  } finally {
    await fixture.stop();
  }
}
