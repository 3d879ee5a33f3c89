import * as fs from 'node:fs';
import { after } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env['CAIRN_CHROMIUM'] ?? '/usr/bin/chromium';
/** The flags of ../shared/reference/offline-notes.md: nothing reaches the network. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let browser: Browser | undefined;
after(async () => {
  await browser?.close();
  browser = undefined;
});

/** Debian's Chromium through playwright-core (never a downloaded browser). Fails with a clear message when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install the Debian package 'chromium' (it is in README's ci-packages line)`);
  browser ??= await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return browser;
}

/** A page that records console errors and CSP violations, so tests can assert there were none. */
export async function newPage(b: Browser, viewport = { width: 1400, height: 900 }): Promise<{ page: Page; problems: string[] }> {
  const ctx = await b.newContext({ viewport });
  const page = await ctx.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return { page, problems };
}
