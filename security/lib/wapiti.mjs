// Runs wapiti 3.0.x (Debian's package) over one web origin and turns its
// JSON report and crawl database into findings and coverage.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runProcess } from './run-process.mjs';

// The wapiti 3.0.4 modules that only talk to the target. Five are left out.
// ssrf and xxe make the target call wapiti's public endpoint. wapp downloads
// its fingerprint database from the internet. Debian ships no database for
// nikto. buster requests its 31,545 names in each folder before it checks
// --max-attack-time, so no time limit bounds it.
export const LOCAL_WAPITI_MODULES = [
  'backup',
  'blindsql',
  'brute_login_form',
  'cookieflags',
  'crlf',
  'csp',
  'csrf',
  'exec',
  'file',
  'htaccess',
  'http_headers',
  'methods',
  'permanentxss',
  'redirect',
  'shellshock',
  'sql',
  'xss',
];

// Wapiti 3.0.4 stores levels as the strings "0" (info) to "4" (critical).
const WAPITI_LEVELS = {
  0: 'info',
  1: 'low',
  2: 'medium',
  3: 'high',
  4: 'high',
};

/**
 * @typedef {object} WapitiOptions
 * @property {string} baseUrl origin and path that bound the scope
 * @property {string} workDir a fresh folder for the report, session and config
 * @property {string} endpointUrl an address on 127.0.0.1, never contacted by the modules used
 * @property {string[]} [startUrls]
 * @property {string[]} [excludeUrls]
 * @property {Record<string, string>} [headers] sent with every request
 * @property {string[]} [modules]
 * @property {number} [maxScanSeconds]
 * @property {number} [maxAttackSeconds]
 * @property {number} [depth]
 * @property {number} [maxLinksPerPage]
 * @property {number} [maxFilesPerDir]
 */

/** Builds the wapiti command line for the options. */
export function buildWapitiArgs(options, paths) {
  const args = [
    '--url',
    options.baseUrl,
    '--scope',
    'folder',
    '--module',
    (options.modules ?? LOCAL_WAPITI_MODULES).join(','),
    '--format',
    'json',
    '--output',
    paths.report,
    '--no-bugreport',
    '--endpoint',
    options.endpointUrl,
    '--store-session',
    paths.session,
    '--store-config',
    paths.config,
    '--flush-session',
    '--max-scan-time',
    String(options.maxScanSeconds ?? 300),
    '--max-attack-time',
    String(options.maxAttackSeconds ?? 60),
    '--depth',
    String(options.depth ?? 5),
    '--max-links-per-page',
    String(options.maxLinksPerPage ?? 50),
    '--max-files-per-dir',
    String(options.maxFilesPerDir ?? 30),
    '--timeout',
    '10',
    '--verbose',
    '1',
  ];
  for (const url of options.startUrls ?? []) args.push('--start', url);
  for (const url of options.excludeUrls ?? []) args.push('--exclude', url);
  for (const [name, value] of Object.entries(options.headers ?? {}))
    args.push('--header', `${name}: ${value}`);
  return args;
}

/** Turns a wapiti JSON report into findings; anomalies count as findings too. */
export function parseWapitiReport(report, baseUrl) {
  const findings = [];
  for (const group of ['vulnerabilities', 'anomalies']) {
    for (const [category, items] of Object.entries(report[group] ?? {})) {
      for (const item of items) {
        findings.push({
          scanner: 'wapiti',
          rule: category,
          severity: WAPITI_LEVELS[Number(item.level)] ?? 'medium',
          title: `${category}: ${item.info}`.slice(0, 300),
          url: new URL(item.path, baseUrl).href,
          method: item.method,
          ...(item.parameter ? { parameter: item.parameter } : {}),
          evidence: item.http_request?.slice(0, 600),
        });
      }
    }
  }
  return findings;
}

// wapiti 3.0.4 keeps the crawl in SQLite. Node 20 has no SQLite module, so
// the python3 that runs wapiti reads it.
const READ_CRAWL_SCRIPT = `
import glob, json, sqlite3, sys
resources = []
for path in glob.glob(sys.argv[1] + "/*.db"):
    db = sqlite3.connect(path)
    rows = db.execute("SELECT path_id, path, method, http_status FROM paths WHERE evil = 0")
    for path_id, url, method, status in rows:
        params = [
            {"type": kind, "name": name, "value": value}
            for kind, name, value in db.execute(
                "SELECT type, name, value1 FROM params WHERE path_id = ? ORDER BY param_order", (path_id,)
            )
        ]
        resources.append({"url": url, "method": method, "status": status, "params": params})
print(json.dumps(resources))
`;

/** Reads the URLs, methods and parameters that wapiti crawled. */
export async function readWapitiCrawl(sessionDir) {
  const result = await runProcess(
    'python3',
    ['-c', READ_CRAWL_SCRIPT, sessionDir],
    { timeoutMs: 30_000 },
  );
  if (result.code !== 0)
    throw new Error(
      `Reading the wapiti crawl database in ${sessionDir} failed with exit code ${result.code}`,
    );
  return JSON.parse(result.stdout);
}

/** Returns the GET URLs of a crawl with their query strings rebuilt. */
export function crawledGetUrls(crawl) {
  const urls = new Set();
  for (const resource of crawl) {
    if (resource.method !== 'GET') continue;
    const url = new URL(resource.url);
    for (const param of resource.params) {
      if (param.type === 'GET')
        url.searchParams.append(param.name, param.value ?? '');
    }
    urls.add(url.href);
  }
  return [...urls].sort();
}

/** Runs wapiti and returns its findings, coverage and run details. */
export async function runWapiti(options) {
  const paths = {
    report: join(options.workDir, 'wapiti-report.json'),
    session: join(options.workDir, 'session'),
    config: join(options.workDir, 'config'),
    log: join(options.workDir, 'wapiti.log'),
  };
  await mkdir(paths.session, { recursive: true });
  await mkdir(paths.config, { recursive: true });

  const modules = options.modules ?? LOCAL_WAPITI_MODULES;
  const started = Date.now();
  // wapiti 3.0.4 applies --max-scan-time to the crawl only and
  // --max-attack-time to each module, checked between attacked requests, so
  // the hard limit allows for both plus one overrun per module.
  const attackSeconds = (options.maxAttackSeconds ?? 60) * modules.length * 1.5;
  const timeoutMs =
    ((options.maxScanSeconds ?? 300) + attackSeconds + 120) * 1000;
  const result = await runProcess('wapiti', buildWapitiArgs(options, paths), {
    logFile: paths.log,
    env: { ...process.env, HOME: options.workDir },
    timeoutMs,
  });

  let report;
  try {
    report = JSON.parse(await readFile(paths.report, 'utf8'));
  } catch (error) {
    throw new Error(
      `wapiti wrote no readable report (exit code ${result.code}); see ${paths.log}`,
      { cause: error },
    );
  }
  const crawl = await readWapitiCrawl(paths.session);
  return {
    scanner: 'wapiti',
    version: report.infos?.version,
    durationMs: Date.now() - started,
    exitCode: result.code,
    timedOut: result.timedOut,
    coverage: {
      modules,
      urls: [
        ...new Set(
          crawl.map((resource) => `${resource.method} ${resource.url}`),
        ),
      ].sort(),
      parameters: [
        ...new Set(
          crawl.flatMap((resource) =>
            resource.params.map(
              (param) =>
                `${resource.method} ${new URL(resource.url).pathname} ${param.name}`,
            ),
          ),
        ),
      ].sort(),
    },
    crawl,
    findings: parseWapitiReport(report, options.baseUrl),
    logFile: paths.log,
  };
}
