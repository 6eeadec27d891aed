// Launches Debian's Chromium through playwright-core and records every
// console error, page error and CSP violation, so tests can fail on them.
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Page,
} from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  context: BrowserContext;
  /** Console errors, uncaught page errors and CSP violations seen so far. */
  problems: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Launches a headless Chromium. Playwright gives every launch a fresh
 * temporary profile (user data dir) and deletes it on close.
 */
export async function launchBrowser(): Promise<LaunchedBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  return { browser, close: () => browser.close() };
}

let nextAddress = 1;

/**
 * Returns a documentation-range address (RFC 5737) unique to this process,
 * sent as X-Forwarded-For so each context has its own rate-limit key.
 */
export function uniqueClientIp(): string {
  const n = (process.pid * 16 + nextAddress++) % 65_000;
  return `198.18.${Math.floor(n / 250)}.${(n % 250) + 1}`;
}

export async function openSession(
  browser: Browser,
  options: {
    viewport?: { width: number; height: number };
    clientIp?: string;
  } = {},
): Promise<BrowserSession> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 900 },
    extraHTTPHeaders: {
      'x-forwarded-for': options.clientIp ?? uniqueClientIp(),
    },
  });
  const problems: string[] = [];

  context.on('weberror', (error) =>
    problems.push(`page error: ${error.error().message}`),
  );
  context.on('console', (message) => {
    if (
      message.type() === 'error' ||
      /Content Security Policy/i.test(message.text())
    ) {
      problems.push(
        `console ${message.type()}: ${message.text()} (${message.location().url})`,
      );
    }
  });

  return {
    context,
    problems,
    newPage: () => context.newPage(),
    close: () => context.close(),
  };
}
