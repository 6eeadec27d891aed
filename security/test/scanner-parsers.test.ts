import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNpmAudit } from '../lib/npm-audit.mjs';
import { buildSummary, renderMarkdown } from '../lib/report.mjs';
import {
  buildSqlmapArgs,
  formatRawRequest,
  LIGHT_SETTINGS,
  markedJson,
  unmarkedJsonKeys,
  markedQuery,
  parseCsvLine,
  parseSqlmapResults,
  splitByParameter,
} from '../lib/sqlmap.mjs';
import {
  buildWapitiArgs,
  crawledGetUrls,
  parseWapitiReport,
} from '../lib/wapiti.mjs';

const LOGIN_TARGET = {
  name: 'login',
  method: 'POST',
  url: 'http://127.0.0.1:8101/api/auth/login',
  headers: { 'Content-Type': 'application/json' },
  body: markedJson(
    { email: 'customer@shop.test', password: 'secret-password' },
    ['email', 'password'],
  ),
  parameters: { uri: [], body: ['email', 'password'] },
};

const SQLMAP_PATHS = {
  requests: '/tmp/r',
  output: '/tmp/o',
  results: '/tmp/r.csv',
};

function argumentAfter(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

test('buildSqlmapArgs - deep run bounds UNION columns', () => {
  const args = buildSqlmapArgs({}, SQLMAP_PATHS);
  assert.equal(argumentAfter(args, '--level'), '3');
  assert.equal(argumentAfter(args, '--risk'), '3');
  assert.equal(argumentAfter(args, '--union-cols'), '1-10');
  assert.equal(argumentAfter(args, '--technique'), 'BEUSTQ');
});

test('buildSqlmapArgs - light run leaves boolean tests to the API', () => {
  const args = buildSqlmapArgs({ ...LIGHT_SETTINGS }, SQLMAP_PATHS);
  assert.equal(argumentAfter(args, '--level'), '1');
  assert.equal(argumentAfter(args, '--risk'), '1');
  assert.equal(argumentAfter(args, '--union-cols'), '1-10');
  assert.equal(argumentAfter(args, '--technique'), 'EUSTQ');
  assert.ok(args.includes('--text-only'));
});

test('buildSqlmapArgs - full run tries every technique', () => {
  const args = buildSqlmapArgs({}, SQLMAP_PATHS);
  assert.equal(argumentAfter(args, '--technique'), 'BEUSTQ');
  assert.ok(!args.includes('--text-only'));
});

test('unmarkedJsonKeys - lists keys of a body without marks', () => {
  const [headerTarget] = splitByParameter({
    name: 'checkout',
    method: 'POST',
    url: 'http://127.0.0.1:8101/api/orders',
    headers: { 'Idempotency-Key': 'key*' },
    body: markedJson({ address: { city: 'Berlin' }, quantity: 1 }, [
      'address.city',
    ]),
    parameters: {
      uri: [],
      header: ['Idempotency-Key'],
      body: ['address.city'],
    },
  });
  assert.deepEqual(unmarkedJsonKeys(headerTarget), ['city', 'quantity']);
});

test('unmarkedJsonKeys - skips nothing in a marked body', () => {
  assert.deepEqual(unmarkedJsonKeys(LOGIN_TARGET), []);
});

test('buildSqlmapArgs - passes keys to skip', () => {
  const args = buildSqlmapArgs(
    {},
    { ...SQLMAP_PATHS, skip: ['city', 'quantity'] },
  );
  assert.equal(argumentAfter(args, '--skip'), 'city,quantity');
});

test('markedQuery - marks each listed value', () => {
  assert.equal(markedQuery({ q: 'lamp', page: '1' }, ['q']), 'q=lamp*&page=1');
});

test('markedJson - marks strings inside quotes', () => {
  assert.equal(
    markedJson({ email: 'a@b.test' }, ['email']),
    '{"email":"a@b.test*"}',
  );
});

test('markedJson - marks numbers after the value', () => {
  assert.equal(
    markedJson({ productId: 'p1', quantity: 2 }, ['quantity']),
    '{"productId":"p1","quantity":2*}',
  );
});

test('markedJson - marks nested values by dotted path', () => {
  const body = markedJson({ address: { city: 'Berlin', zip: 10115 } }, [
    'address.city',
    'address.zip',
  ]);
  assert.equal(body, '{"address":{"city":"Berlin*","zip":10115*}}');
});

test('markedJson - unknown path is rejected', () => {
  assert.throws(
    () => markedJson({ email: 'a@b.test' }, ['mail']),
    /mail is not a key/,
  );
});

test('formatRawRequest - keeps marks in path and query', () => {
  const raw = formatRawRequest({
    name: 'slug',
    method: 'GET',
    url: 'http://127.0.0.1:8101/api/products/desk-lamp*?page=1*',
    parameters: { uri: ['slug', 'page'], body: [] },
  });
  assert.ok(
    raw.startsWith(
      'GET /api/products/desk-lamp*?page=1* HTTP/1.1\r\nHost: 127.0.0.1:8101\r\n',
    ),
  );
});

test('formatRawRequest - sets Content-Length of the body', () => {
  const raw = formatRawRequest(LOGIN_TARGET);
  assert.ok(
    raw.includes(
      `Content-Length: ${Buffer.byteLength(LOGIN_TARGET.body)}\r\n\r\n${LOGIN_TARGET.body}`,
    ),
  );
});

test('splitByParameter - keeps one mark per target', () => {
  const target = {
    name: 'checkout',
    method: 'POST',
    url: 'http://127.0.0.1:8101/api/orders/SO-1*',
    headers: { 'Idempotency-Key': 'key-0001*' },
    body: '{"city":"Berlin*"}',
    parameters: {
      uri: ['orderNumber'],
      header: ['Idempotency-Key'],
      body: ['city'],
    },
  };
  const [uri, header, body] = splitByParameter(target);
  assert.equal(uri?.url, 'http://127.0.0.1:8101/api/orders/SO-1*');
  assert.equal(uri?.body, '{"city":"Berlin"}');
  assert.equal(header?.headers['Idempotency-Key'], 'key-0001*');
  assert.equal(header?.url, 'http://127.0.0.1:8101/api/orders/SO-1');
  assert.deepEqual(body?.parameters, { uri: [], header: [], body: ['city'] });
  assert.equal(body?.body, '{"city":"Berlin*"}');
});

test('splitByParameter - rejects a name count mismatch', () => {
  const target = {
    name: 'bad',
    method: 'GET',
    url: 'http://127.0.0.1:8101/a?x=1*&y=2*',
    parameters: { uri: ['x'], body: [] },
  };
  assert.throws(() => splitByParameter(target), /2 marks but names 1/);
});

test('parseCsvLine - quoted field with comma', () => {
  assert.deepEqual(parseCsvLine('"http://h/a?x=1,2",GET,q,BT,'), [
    'http://h/a?x=1,2',
    'GET',
    'q',
    'BT',
    '',
  ]);
});

test('parseSqlmapResults - maps custom marks to parameter names', () => {
  const csv =
    'Target URL,Place,Parameter,Technique(s),Note(s)\nhttp://127.0.0.1:8101/api/auth/login,(custom) POST,JSON #2*,BT,\n';
  const [finding] = parseSqlmapResults(csv, [LOGIN_TARGET]);
  assert.equal(finding?.parameter, 'password');
  assert.equal(finding?.severity, 'high');
  assert.match(finding?.title ?? '', /boolean-based blind, time-based blind/);
});

test('parseSqlmapResults - maps header marks to header names', () => {
  const target = {
    ...LOGIN_TARGET,
    headers: { 'Idempotency-Key': 'key-0001*' },
    parameters: { uri: [], body: ['email'], header: ['Idempotency-Key'] },
  };
  const csv =
    'Target URL,Place,Parameter,Technique(s),Note(s)\nhttp://127.0.0.1:8101/api/auth/login,(custom) HEADER,Idempotency-Key #1*,T,\n';
  assert.equal(
    parseSqlmapResults(csv, [target])[0]?.parameter,
    'Idempotency-Key',
  );
});

test('parseSqlmapResults - header only means no finding', () => {
  assert.deepEqual(
    parseSqlmapResults('Target URL,Place,Parameter,Technique(s),Note(s)\n', [
      LOGIN_TARGET,
    ]),
    [],
  );
});

test('buildWapitiArgs - never loads modules that call out', () => {
  const args = buildWapitiArgs(
    { baseUrl: 'http://127.0.0.1:8100/', endpointUrl: 'http://127.0.0.1:9/' },
    { report: 'r', session: 's', config: 'c' },
  );
  const modules = args[args.indexOf('--module') + 1]?.split(',') ?? [];
  for (const name of ['ssrf', 'xxe', 'wapp', 'nikto'])
    assert.ok(!modules.includes(name), `${name} must not be loaded`);
  assert.ok(args.includes('--no-bugreport'));
});

test('parseWapitiReport - vulnerability with level and parameter', () => {
  const report = {
    vulnerabilities: {
      'Cross Site Scripting': [
        {
          method: 'GET',
          path: '/greet',
          info: 'XSS in name',
          level: '2',
          parameter: 'name',
          http_request: 'GET /greet',
        },
      ],
    },
    anomalies: {
      'Internal Server Error': [
        {
          method: 'GET',
          path: '/p',
          info: '500',
          level: 3,
          parameter: 'q',
          http_request: 'GET /p',
        },
      ],
    },
  };
  const findings = parseWapitiReport(report, 'http://127.0.0.1:8100/');
  assert.deepEqual(
    findings.map((item) => [
      item.rule,
      item.severity,
      item.url,
      item.parameter,
    ]),
    [
      ['Cross Site Scripting', 'medium', 'http://127.0.0.1:8100/greet', 'name'],
      ['Internal Server Error', 'high', 'http://127.0.0.1:8100/p', 'q'],
    ],
  );
});

test('crawledGetUrls - rebuilds query strings', () => {
  const crawl = [
    {
      url: 'http://127.0.0.1:8100/search',
      method: 'GET',
      params: [{ type: 'GET', name: 'q', value: 'lamp' }],
    },
    {
      url: 'http://127.0.0.1:8100/login',
      method: 'POST',
      params: [{ type: 'POST', name: 'email', value: '' }],
    },
  ];
  assert.deepEqual(crawledGetUrls(crawl), [
    'http://127.0.0.1:8100/search?q=lamp',
  ]);
});

test('parseNpmAudit - high advisory stays high', () => {
  const report = {
    vulnerabilities: {
      lodash: {
        name: 'lodash',
        severity: 'high',
        range: '<4.17.21',
        via: [
          { title: 'Prototype pollution', url: 'https://example.invalid/1' },
        ],
        fixAvailable: true,
      },
    },
  };
  assert.deepEqual(
    parseNpmAudit(report).map((item) => item.severity),
    ['high'],
  );
});

test('buildSummary - medium finding fails the scan', () => {
  const summary = buildSummary({
    name: 'unit',
    targets: {},
    startedAt: new Date(0),
    finishedAt: new Date(1000),
    results: [
      {
        scanner: 'passive',
        findings: [
          {
            scanner: 'passive',
            rule: 'x',
            severity: 'medium',
            title: 't',
            url: 'http://127.0.0.1/',
          },
        ],
      },
    ],
  });
  assert.equal(summary.passed, false);
  assert.equal(summary.scanners[0]?.status, 'failed');
});

test('buildSummary - low findings pass the scan', () => {
  const summary = buildSummary({
    name: 'unit',
    targets: {},
    startedAt: new Date(0),
    results: [
      {
        scanner: 'wapiti',
        findings: [
          {
            scanner: 'wapiti',
            rule: 'x',
            severity: 'low',
            title: 't',
            url: 'http://127.0.0.1/',
          },
        ],
      },
    ],
  });
  assert.equal(summary.passed, true);
});

test('buildSummary - scanner error fails the scan', () => {
  const summary = buildSummary({
    name: 'unit',
    targets: {},
    startedAt: new Date(0),
    results: [{ scanner: 'sqlmap', status: 'error', error: 'not installed' }],
  });
  assert.equal(summary.passed, false);
});

test('buildSummary - unavailable audit does not fail the scan', () => {
  const summary = buildSummary({
    name: 'unit',
    targets: {},
    startedAt: new Date(0),
    results: [{ scanner: 'npm-audit', status: 'unavailable', error: '405' }],
  });
  assert.equal(summary.passed, true);
});

test('renderMarkdown - names a scanner that did not run', () => {
  const summary = buildSummary({
    name: 'unit',
    targets: {},
    startedAt: new Date(0),
    results: [{ scanner: 'npm-audit', status: 'unavailable', error: '405' }],
  });
  const markdown = renderMarkdown(summary);
  assert.match(markdown, /Not checked by this run/);
  assert.match(markdown, /- npm-audit did not run: 405/);
  assert.match(markdown, /\| npm-audit \| unavailable \(not run\) \|/);
});

test('renderMarkdown - lists each finding once per title', () => {
  const finding = {
    scanner: 'passive',
    rule: 'x',
    severity: 'medium',
    title: 'CSP missing',
    url: 'http://127.0.0.1/a',
  };
  const summary = buildSummary({
    name: 'unit',
    targets: {},
    startedAt: new Date(0),
    results: [
      {
        scanner: 'passive',
        findings: [finding, { ...finding, url: 'http://127.0.0.1/b' }],
      },
    ],
  });
  const rows = renderMarkdown(summary)
    .split('\n')
    .filter((line) => line.includes('CSP missing'));
  assert.equal(rows.length, 1);
});
