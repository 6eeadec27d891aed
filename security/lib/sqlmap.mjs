// Runs sqlmap 1.7 (Debian's package) against a list of HTTP requests in
// which every injection point carries sqlmap's custom mark `*`, and reads
// the CSV file that sqlmap writes in multiple-target mode.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runProcess } from './run-process.mjs';

export const INJECTION_MARK = '*';

/**
 * @typedef {object} SqlmapTarget
 * @property {string} name a label for the report
 * @property {string} method
 * @property {string} url absolute URL; marks may follow query values or path segments
 * @property {Record<string, string>} [headers]
 * @property {string} [body] raw body; marks may follow JSON values
 * @property {{ uri: string[], body: string[], header?: string[] }} parameters the name of each mark, in order
 */

/** Builds a query string whose listed parameters carry the injection mark. */
export function markedQuery(values, marked = Object.keys(values)) {
  return Object.entries(values)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}${marked.includes(name) ? INJECTION_MARK : ''}`)
    .join('&');
}

/**
 * Serializes `object` as JSON with the mark after each listed value, named
 * by a dotted path such as `shippingAddress.city`: inside the quotes of a
 * string, directly after a number or boolean. sqlmap replaces the mark with
 * its payload, so a number turns into invalid JSON, which a strict API must
 * reject.
 */
export function markedJson(object, marked) {
  const tokens = new Map();
  const copy = structuredClone(object);
  for (const path of marked) {
    const keys = path.split('.');
    const last = keys.pop();
    const parent = keys.reduce((node, key) => node?.[key], copy);
    if (!parent || !(last in parent)) throw new Error(`markedJson: ${path} is not a key of the body`);

    const value = parent[last];
    if (typeof value === 'string') {
      parent[last] = `${value}${INJECTION_MARK}`;
    } else {
      const token = `__sqlmap_mark_${tokens.size}__`;
      tokens.set(token, `${JSON.stringify(value)}${INJECTION_MARK}`);
      parent[last] = token;
    }
  }
  let json = JSON.stringify(copy);
  for (const [token, replacement] of tokens) json = json.replace(`"${token}"`, replacement);
  return json;
}

/** Writes one target as the raw HTTP/1.1 request that sqlmap's `-l` reads. */
export function formatRawRequest(target) {
  const url = new URL(target.url.replaceAll(INJECTION_MARK, '%2A'));
  const pathAndQuery = `${url.pathname}${url.search}`.replaceAll('%2A', INJECTION_MARK);
  const lines = [`${target.method} ${pathAndQuery} HTTP/1.1`, `Host: ${url.host}`];
  for (const [name, value] of Object.entries(target.headers ?? {})) lines.push(`${name}: ${value}`);
  if (target.body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(target.body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${target.body ?? ''}`;
}

/** Splits one CSV line as sqlmap writes it: fields quoted only when needed. */
export function parseCsvLine(line) {
  const fields = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted && char === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (char === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else {
      field += char;
    }
  }
  fields.push(field);
  return fields;
}

const TECHNIQUE_NAMES = { B: 'boolean-based blind', E: 'error-based', U: 'UNION query', S: 'stacked queries', T: 'time-based blind', Q: 'inline query' };

function stripMarks(url) {
  return url.replaceAll(INJECTION_MARK, '');
}

// sqlmap names custom injection points `#1*`, `JSON #2*` ... per place, so the
// number maps back to the name of that mark in the target.
function resolveParameter(target, place, parameter) {
  const number = /#(\d+)\*$/.exec(parameter);
  if (!target || !number) return parameter;
  let names = target.parameters.uri;
  if (place.includes('POST')) names = target.parameters.body;
  if (place.includes('HEADER')) names = target.parameters.header ?? [];
  return names[Number(number[1]) - 1] ?? parameter;
}

/** Turns sqlmap's CSV results into findings; each injection point is high. */
export function parseSqlmapResults(csv, targets) {
  const findings = [];
  const lines = csv.split(/\r?\n/).filter((line) => line.trim() !== '');
  for (const line of lines.slice(1)) {
    const [url, place, parameter, techniques, notes] = parseCsvLine(line);
    const matches = targets.filter((target) => stripMarks(target.url) === url);
    const target = matches.length === 1 ? matches[0] : undefined;
    const names = [...techniques].map((letter) => TECHNIQUE_NAMES[letter] ?? letter);
    const falsePositive = /false positive|unexploitable/i.test(notes ?? '');
    findings.push({
      scanner: 'sqlmap',
      rule: 'sql-injection',
      severity: falsePositive ? 'low' : 'high',
      title: `SQL injection (${names.join(', ')})${falsePositive ? ` - ${notes}` : ''}`,
      url,
      method: target?.method ?? (place.includes('POST') ? 'POST' : 'GET'),
      parameter: resolveParameter(target, place, parameter),
      evidence: `place ${place}, techniques ${techniques}${target ? `, target ${target.name}` : ''}`,
    });
  }
  return findings;
}

/** Splits targets round-robin into at most `count` groups. */
export function splitTargets(targets, count) {
  const groups = Array.from({ length: Math.max(1, Math.min(count, targets.length)) }, () => []);
  targets.forEach((target, index) => groups[index % groups.length].push(target));
  return groups;
}

/**
 * @typedef {object} SqlmapOptions
 * @property {SqlmapTarget[]} targets
 * @property {string} workDir a fresh folder
 * @property {number} [level] 1-5, default 3
 * @property {number} [risk] 1-3, default 3
 * @property {number} [processes] parallel sqlmap processes, default 2
 * @property {number} [timeoutSeconds] per process, default 600
 */

/** Builds the sqlmap command line for one group of request files. */
export function buildSqlmapArgs(options, paths) {
  return [
    '-l', paths.requests,
    '--batch',
    '--ignore-stdin',
    // Keep testing every mark after the first hit, and every target after
    // the first vulnerable one, instead of sqlmap's batch defaults.
    '--answers', 'keep testing=Y,skip further tests=N',
    '--level', String(options.level ?? 3),
    '--risk', String(options.risk ?? 3),
    '--technique', 'BEUSTQ',
    '--time-sec', '1',
    '--dbms', 'PostgreSQL',
    '--threads', '4',
    '--timeout', '10',
    '--retries', '1',
    '--output-dir', paths.output,
    '--results-file', paths.results,
    '--disable-coloring',
  ];
}

async function runGroup(options, targets, groupDir) {
  const paths = {
    requests: join(groupDir, 'requests'),
    output: join(groupDir, 'output'),
    results: join(groupDir, 'results.csv'),
    log: join(groupDir, 'sqlmap.log'),
  };
  await mkdir(paths.requests, { recursive: true });
  await mkdir(paths.output, { recursive: true });
  await Promise.all(
    // sqlmap only reads files of a folder whose names contain `<digits>-request`.
    targets.map((target, index) => writeFile(join(paths.requests, `${String(index + 1).padStart(3, '0')}-request`), formatRawRequest(target))),
  );

  const result = await runProcess('sqlmap', buildSqlmapArgs(options, paths), {
    logFile: paths.log,
    env: { ...process.env, HOME: groupDir, TERM: 'dumb' },
    timeoutMs: (options.timeoutSeconds ?? 600) * 1000,
  });
  let csv;
  try {
    csv = await readFile(paths.results, 'utf8');
  } catch (error) {
    throw new Error(`sqlmap wrote no results file (exit code ${result.code}); see ${paths.log}`, { cause: error });
  }
  return { result, csv, log: paths.log };
}

/** Runs sqlmap over every target and returns findings and coverage. */
export async function runSqlmap(options) {
  const started = Date.now();
  const groups = splitTargets(options.targets, options.processes ?? 2);
  const runs = await Promise.all(groups.map((targets, index) => runGroup(options, targets, join(options.workDir, `group-${index + 1}`))));

  const findings = runs.flatMap((run) => parseSqlmapResults(run.csv, options.targets));
  return {
    scanner: 'sqlmap',
    durationMs: Date.now() - started,
    exitCode: Math.max(...runs.map((run) => run.result.code ?? 1)),
    timedOut: runs.some((run) => run.result.timedOut),
    coverage: {
      settings: `level ${options.level ?? 3}, risk ${options.risk ?? 3}, techniques BEUSTQ, DBMS PostgreSQL`,
      parameters: options.targets.flatMap((target) =>
        [...target.parameters.uri, ...target.parameters.body, ...(target.parameters.header ?? [])].map(
          (name) => `${target.method} ${new URL(stripMarks(target.url)).href} ${name}`,
        ),
      ),
    },
    findings,
    logFiles: runs.map((run) => run.log),
  };
}
