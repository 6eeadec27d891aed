#!/usr/bin/env node
// Measures the storefront's home, product and cart pages with Lighthouse
// against Debian's Chromium, and writes the scores to docs/benchmarks.md
// under "Storefront (Lighthouse)". Starts its own stack with
// test/helpers/stack.ts, on the servers in DATABASE_URL and REDIS_URL or
// the local defaults.
// Usage: npm run lighthouse -w apps/web
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  launchBrowser,
} from '../test/helpers/browser.ts';
import { REPO_ROOT, startStack } from '../test/helpers/stack.ts';

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
// Lighthouse scores vary from run to run, more so on a busy machine, so
// each page is measured several times and the median run is reported.
const RUNS = 3;
const HEADING = '## Storefront (Lighthouse)';
const BENCHMARKS = join(REPO_ROOT, 'docs/benchmarks.md');

async function signInCookies(stack) {
  const launched = await launchBrowser();
  try {
    const page = await launched.browser.newPage();
    await page.goto(`${stack.webUrl}/signin`);
    await page.getByLabel('Email').fill(stack.customer.email);
    await page.getByLabel('Password').fill(stack.customer.password);
    await Promise.all([
      page.waitForURL(`${stack.webUrl}/`),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);

    // Put one product in the cart, so the cart page is measured with content.
    const productLink = page.locator('.product-card__title a').first();
    await productLink.click();
    await page.waitForURL(/\/products\//);
    const productUrl = page.url();
    await Promise.all([
      page.waitForURL(/notice=added/),
      page.getByRole('button', { name: 'Add to cart' }).click(),
    ]);

    const cookies = await page.context().cookies();
    return {
      cookie: cookies
        .map((cookie) => `${cookie.name}=${cookie.value}`)
        .join('; '),
      productUrl: productUrl.split('?')[0],
    };
  } finally {
    await launched.close();
  }
}

async function measure(url, cookie) {
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM_PATH,
    chromeFlags: CHROMIUM_ARGS,
  });
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: CATEGORIES,
      extraHeaders: cookie ? { Cookie: cookie } : undefined,
    });
    const scores = {};
    for (const category of CATEGORIES) {
      scores[category] = Math.round(
        (result.lhr.categories[category]?.score ?? 0) * 100,
      );
    }
    return scores;
  } finally {
    await chrome.kill();
  }
}

/** Wraps text at `width` characters, breaking only at spaces. */
function wrap(text, width = 72) {
  const lines = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line];
}

function renderSection(rows, lighthouseVersion) {
  const date = new Date().toISOString().slice(0, 10);
  const memory = Math.round(totalmem() / 2 ** 30);
  const description =
    `Measured ${date} with Lighthouse ${lighthouseVersion} (default mobile ` +
    "profile: simulated slow 4G and 4x CPU slowdown) against Debian's " +
    'Chromium, on the production build (`next start`) with the API on the ' +
    `same machine (${cpus().length} CPU cores, ${memory} GiB RAM, load ` +
    `average ${loadavg()[0].toFixed(1)} at the end of the run). Each row is ` +
    `the run with the median performance score out of ${RUNS}. Command: ` +
    '`npm run lighthouse -w apps/web`. Target: 95 or more in each column.';

  const lines = [
    HEADING,
    '',
    ...wrap(description),
    '',
    '| Page | Performance | Accessibility | Best practices | SEO |',
    '|---|---|---|---|---|',
    ...rows.map(
      ({ page, scores }) =>
        `| ${page} | ${scores.performance} | ${scores.accessibility} | ${scores['best-practices']} | ${scores.seo} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

function writeSection(section) {
  const current = existsSync(BENCHMARKS)
    ? readFileSync(BENCHMARKS, 'utf8')
    : '# Benchmarks\n';
  const start = current.indexOf(HEADING);
  let next;
  if (start === -1) {
    next = `${current.trimEnd()}\n\n${section}`;
  } else {
    const after = current.indexOf('\n## ', start + HEADING.length);
    next =
      current.slice(0, start) +
      section +
      (after === -1 ? '' : `\n${current.slice(after + 1)}`);
  }
  writeFileSync(BENCHMARKS, next);
}

const stack = await startStack();
try {
  const { cookie, productUrl } = await signInCookies(stack);
  const pages = [
    { page: 'Home (`/`)', url: `${stack.webUrl}/`, cookie: null },
    { page: 'Product (`/products/…`)', url: productUrl, cookie: null },
    { page: 'Cart (`/cart`, signed in)', url: `${stack.webUrl}/cart`, cookie },
  ];

  const rows = [];
  for (const entry of pages) {
    const runs = [];
    for (let run = 0; run < RUNS; run++) {
      const scores = await measure(entry.url, entry.cookie);
      console.log(JSON.stringify({ page: entry.page, run, ...scores }));
      runs.push(scores);
    }
    runs.sort((a, b) => a.performance - b.performance);
    rows.push({ page: entry.page, scores: runs[Math.floor(RUNS / 2)] });
  }

  const { version } = JSON.parse(
    readFileSync(
      join(REPO_ROOT, 'node_modules/lighthouse/package.json'),
      'utf8',
    ),
  );
  writeSection(renderSection(rows, version));
  console.log(`Wrote the scores to ${BENCHMARKS}`);
} finally {
  await stack.stop();
}
