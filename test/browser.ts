/// <reference lib="dom" />
/**
 * Headless Chromium for the HTML pages (report, diff): open a file offline and collect console errors and
 * every request that is not a file. Suites run it only when Chromium is installed and not in the fast loop.
 */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';

export const CHROMIUM = process.env.GIGAWATT_CHROMIUM ?? '/usr/bin/chromium';
// `npm run test:unit` sets GIGAWATT_TEST_UNIT: the fast loop starts no browser; `npm test` always does.
const unitLoop = process.env.GIGAWATT_TEST_UNIT === '1';
export const haveChromium = !unitLoop && existsSync(CHROMIUM);

/** Says once per suite why its browser test is skipped (outside the fast loop, where it is expected). */
export function noteSkipped(what: string): void {
  if (!haveChromium && !unitLoop)
    console.log(
      `SKIPPED: ${what}: no Chromium at ${CHROMIUM} (install Debian's chromium or set GIGAWATT_CHROMIUM)`,
    );
}

export interface PageRun<T> {
  readonly value: T;
  /** Console errors and uncaught page errors. */
  readonly errors: readonly string[];
  /** Requests for anything but a file: URL (a self-contained page makes none). */
  readonly requests: readonly string[];
}

/** Open `file` in headless Chromium, run `use` on the page, and close the browser. */
export async function inChromium<T>(
  file: string,
  viewport: { width: number; height: number },
  use: (page: Page) => Promise<T>,
): Promise<PageRun<T>> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage({ viewport });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (req) => !req.url().startsWith('file:') && requests.push(req.url()));
    await page.goto(`file://${file}`);
    return { value: await use(page), errors, requests };
  } finally {
    await browser.close();
  }
}
