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
 * @property {boolean} [light] run at level 1 and risk 1 on visible text, for a parameter
 *   that another target already attacks at full depth on the API itself
 */

// Level 1 and risk 1 still try one error-based, UNION, stacked and
// time-based payload family each on PostgreSQL (sqlmap 1.7 payloads/*.xml),
// but skip the OR-based, heavy-query and extra-clause variants.
// Boolean-based tests are left to the API targets, because a storefront
// page differs between two payloads for reasons other than SQL (the CSP
// nonce, the fuzzy ranking of search results). sqlmap can mistake that
// difference for a boolean-based blind injection.
export const LIGHT_SETTINGS = {
  level: 1,
  risk: 1,
  textOnly: true,
  technique: 'EUSTQ',
};

/** Builds a query string whose listed parameters carry the injection mark. */
export function markedQuery(values, marked = Object.keys(values)) {
  return Object.entries(values)
    .map(
      ([name, value]) =>
        `${encodeURIComponent(name)}=${encodeURIComponent(value)}${marked.includes(name) ? INJECTION_MARK : ''}`,
    )
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
    if (!parent || !(last in parent))
      throw new Error(`markedJson: ${path} is not a key of the body`);

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
  for (const [token, replacement] of tokens)
    json = json.replace(`"${token}"`, replacement);
  return json;
}

/**
 * Splits a target into one target per mark, so that every parameter gets a
 * sqlmap process and a time limit of its own. The marks of a raw request run
 * through the URL, then the header values, then the body, which is also the
 * order of the names in the result.
 */
export function splitByParameter(target) {
  const header = target.parameters.header ?? [];
  const names = [
    ...target.parameters.uri.map((name) => ['uri', name]),
    ...header.map((name) => ['header', name]),
    ...target.parameters.body.map((name) => ['body', name]),
  ];
  const texts = [
    target.url,
    ...Object.values(target.headers ?? {}),
    target.body ?? '',
  ];
  const markCount = texts.join('').split(INJECTION_MARK).length - 1;
  if (markCount !== names.length) {
    throw new Error(
      `sqlmap target ${target.name} has ${markCount} marks but names ${names.length} parameters`,
    );
  }

  return names.map(([place, name], kept) => {
    let index = 0;
    const keepOne = (text) =>
      text.replaceAll(INJECTION_MARK, () =>
        index++ === kept ? INJECTION_MARK : '',
      );
    const url = keepOne(target.url);
    const headers = Object.fromEntries(
      Object.entries(target.headers ?? {}).map(([key, value]) => [
        key,
        keepOne(value),
      ]),
    );
    const body = target.body === undefined ? undefined : keepOne(target.body);
    return {
      ...target,
      name: `${target.name}: ${name}`,
      url,
      headers,
      ...(body === undefined ? {} : { body }),
      parameters: {
        uri: place === 'uri' ? [name] : [],
        header: place === 'header' ? [name] : [],
        body: place === 'body' ? [name] : [],
      },
    };
  });
}

/** Writes one target as the raw HTTP/1.1 request that sqlmap's `-l` reads. */
export function formatRawRequest(target) {
  const url = new URL(target.url.replaceAll(INJECTION_MARK, '%2A'));
  const pathAndQuery = `${url.pathname}${url.search}`.replaceAll(
    '%2A',
    INJECTION_MARK,
  );
  const lines = [
    `${target.method} ${pathAndQuery} HTTP/1.1`,
    `Host: ${url.host}`,
  ];
  for (const [name, value] of Object.entries(target.headers ?? {}))
    lines.push(`${name}: ${value}`);
  if (target.body !== undefined)
    lines.push(`Content-Length: ${Buffer.byteLength(target.body)}`);
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

const TECHNIQUE_NAMES = {
  B: 'boolean-based blind',
  E: 'error-based',
  U: 'UNION query',
  S: 'stacked queries',
  T: 'time-based blind',
  Q: 'inline query',
};

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
    const names = [...techniques].map(
      (letter) => TECHNIQUE_NAMES[letter] ?? letter,
    );
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

/**
 * @typedef {object} SqlmapOptions
 * @property {SqlmapTarget[]} targets
 * @property {string} workDir a fresh folder
 * @property {number} [level] 1-5, default 3
 * @property {number} [risk] 1-3, default 3
 * @property {number} [processes] parallel sqlmap processes, default 2
 * @property {number} [timeoutSeconds] per parameter, default 300
 * @property {boolean} [textOnly] compare only the visible text of pages
 * @property {string} [technique] sqlmap techniques, default BEUSTQ
 */

/** Builds the sqlmap command line for one group of request files. */
export function buildSqlmapArgs(options, paths) {
  return [
    '-l',
    paths.requests,
    '--batch',
    '--ignore-stdin',
    // Keep testing every mark after the first hit, and every target after
    // the first vulnerable one, instead of sqlmap's batch defaults. Skip the
    // second round of UNION tests with integers in place of NULL, which
    // takes minutes on a server-rendered page whose column count sqlmap
    // misreads, after the NULL round already ran.
    '--answers',
    'keep testing=Y,skip further tests=N,random integer value=N',
    '--level',
    String(options.level ?? 3),
    '--risk',
    String(options.risk ?? 3),
    '--technique',
    options.technique ?? 'BEUSTQ',
    // An explicit range bounds sqlmap's ORDER BY column search. Without it
    // a server-rendered page that ignores an `ORDER BY n` suffix reads as a
    // query of 199 columns, and the UNION tests at that width took minutes
    // per parameter. In batch mode sqlmap 1.7 tries only 1-10 columns
    // anyway unless another technique found the parameter injectable.
    '--union-cols',
    '1-10',
    '--time-sec',
    '1',
    '--dbms',
    'PostgreSQL',
    '--threads',
    '4',
    '--timeout',
    '10',
    '--retries',
    '1',
    '--output-dir',
    paths.output,
    '--results-file',
    paths.results,
    '--disable-coloring',
    // Storefront pages differ on every request (the CSP nonce on each
    // script tag), which sqlmap can mistake for a boolean-based blind injection.
    // Comparing only their visible text removes that noise.
    ...(options.textOnly ? ['--text-only'] : []),
    ...(paths.skip?.length > 0 ? ['--skip', paths.skip.join(',')] : []),
  ];
}

/**
 * Lists the JSON keys of a body that carries no mark of its own. sqlmap
 * tests every key of a JSON body even when the mark sits in the URL or a
 * header, which repeats the body's own targets once per such mark.
 */
export function unmarkedJsonKeys(target) {
  if (target.body === undefined || target.body.includes(INJECTION_MARK))
    return [];
  let body;
  try {
    body = JSON.parse(target.body);
  } catch {
    return [];
  }
  const keys = new Set();
  const collect = (node) => {
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (value !== null && typeof value === 'object') collect(value);
      else keys.add(key);
    }
  };
  collect(body);
  return [...keys];
}

// One sqlmap process per parameter, so a slow one delays no other. `-l`
// with a folder always puts sqlmap in multiple-target mode, which is what
// makes it write the CSV results file.
async function runTarget(options, target, targetDir) {
  const paths = {
    requests: join(targetDir, 'requests'),
    output: join(targetDir, 'output'),
    results: join(targetDir, 'results.csv'),
    log: join(targetDir, 'sqlmap.log'),
  };
  await mkdir(paths.requests, { recursive: true });
  await mkdir(paths.output, { recursive: true });
  // sqlmap only reads files of a folder whose names contain `<digits>-request`.
  await writeFile(
    join(paths.requests, '001-request'),
    formatRawRequest(target),
  );

  const settings = target.light ? { ...options, ...LIGHT_SETTINGS } : options;
  const result = await runProcess(
    'sqlmap',
    buildSqlmapArgs(settings, { ...paths, skip: unmarkedJsonKeys(target) }),
    {
      logFile: paths.log,
      env: { ...process.env, HOME: targetDir, TERM: 'dumb' },
      timeoutMs: (options.timeoutSeconds ?? 300) * 1000,
    },
  );
  let csv;
  try {
    csv = await readFile(paths.results, 'utf8');
  } catch (error) {
    throw new Error(
      `sqlmap wrote no results file for ${target.name} (exit code ${result.code}); see ${paths.log}`,
      { cause: error },
    );
  }
  return { target, result, csv, log: paths.log };
}

/** Runs sqlmap over every target and returns findings and coverage. */
export async function runSqlmap(options) {
  const started = Date.now();
  const queue = options.targets
    .flatMap(splitByParameter)
    .map((target, index) => ({ target, index }));
  const runs = [];
  const errors = [];

  async function worker() {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const targetDir = join(
        options.workDir,
        `target-${String(next.index + 1).padStart(3, '0')}`,
      );
      try {
        runs.push(await runTarget(options, next.target, targetDir));
      } catch (error) {
        errors.push(error.message);
      }
    }
  }
  await Promise.all(
    Array.from({ length: Math.max(1, options.processes ?? 2) }, worker),
  );

  const timedOut = runs
    .filter((run) => run.result.timedOut)
    .map((run) => run.target.name);
  if (timedOut.length > 0)
    errors.push(`sqlmap timed out before it finished ${timedOut.join(', ')}`);
  return {
    scanner: 'sqlmap',
    // A target that could not be tested is a gap in the scan, so it fails it.
    ...(errors.length > 0 ? { status: 'error', error: errors.join('; ') } : {}),
    durationMs: Date.now() - started,
    ...(timedOut.length > 0 ? { timedOut: true } : {}),
    coverage: {
      settings: `level ${options.level ?? 3}, risk ${options.risk ?? 3} (level ${LIGHT_SETTINGS.level}, risk ${LIGHT_SETTINGS.risk} on ${options.targets.filter((target) => target.light).length} requests that repeat an API parameter, techniques ${LIGHT_SETTINGS.technique} on visible text there), techniques BEUSTQ, DBMS PostgreSQL, ${options.targets.length} requests`,
      parameters: options.targets.flatMap((target) =>
        [
          ...target.parameters.uri,
          ...target.parameters.body,
          ...(target.parameters.header ?? []),
        ].map(
          (name) =>
            `${target.method} ${new URL(stripMarks(target.url)).href} ${name}`,
        ),
      ),
      ...(timedOut.length > 0 ? { timedOutTargets: timedOut } : {}),
    },
    findings: runs.flatMap((run) => parseSqlmapResults(run.csv, [run.target])),
  };
}
