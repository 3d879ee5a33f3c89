// Drives the code-server workbench with playwright-core + Debian Chromium (selectors from
// ../shared/reference/vscode-e2e.md §5).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../browser/helpers/chromium';

export const RESULTS_DIR = path.resolve(__dirname, '..', '..', '..', 'test-results', 'e2e');

export async function openWorkbench(url: string, workspace: string, query = '', beforeGoto?: (ctx: BrowserContext) => Promise<void>): Promise<{ ctx: BrowserContext; page: Page; close(): Promise<void> }> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install the Debian package 'chromium'`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-e2e-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, viewport: { width: 1400, height: 900 }, args: CHROMIUM_ARGS });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await beforeGoto?.(ctx);
  // Generous: on a busy 2-core machine the workbench's first load can take a while.
  await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}${query}`, { waitUntil: 'domcontentloaded', timeout: 180_000 });
  return {
    ctx,
    page,
    close: async () => {
      await ctx.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

export async function runPaletteCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

export async function quickOpen(page: Page, file: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(file);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(file) }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: path.basename(file) }).waitFor();
}

/** The frame of the active webview panel (the nested iframes VS Code uses). */
export function activeWebview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

/** The rows of the Cairn Runs tree. */
export const treeRows = (page: Page) => page.locator('.pane-body .monaco-list-row[role="treeitem"]');

/** Shows the Cairn sidebar (clicking its activity-bar icon only if it is not already showing: a click would hide it). */
export async function showCairnView(page: Page): Promise<void> {
  const icon = page.locator('.activitybar .action-item a[aria-label="Cairn"]');
  await icon.waitFor({ timeout: 60_000 });
  const title = page.locator('.part.sidebar .composite.title', { hasText: /cairn/i });
  if (!(await title.isVisible())) await icon.click();
  await title.waitFor({ timeout: 10_000 });
}
