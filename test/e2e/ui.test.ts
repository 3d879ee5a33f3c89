// VS Code end-to-end, through the UI of a real VS Code (code-server 4.100.3 = VS Code 1.100.3):
// install the VSIX, open the workspace, click ▶ Track this run, watch the run appear and finish in
// the Runs view, open its detail panel and find its metric chart, select two runs and open the diff.
// Screenshots of each step go to test-results/e2e/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startCodeServer, type CodeServer } from './harness/code-server';
import { activeWebview, openWorkbench, quickOpen, screenshot, showCairnView, treeRows } from './harness/workbench';
import { buildVsix } from './harness/vsix';
import { e2eWorkspace, examplesWorkspace } from './harness/workspace';

const ws = e2eWorkspace(examplesWorkspace);
let cs: CodeServer;
let page: Page;
let closeBrowser: () => Promise<void>;

before(
  async () => {
  cs = await startCodeServer({
    workspace: ws.dir,
    vsix: buildVsix(),
    // Debian's python3-sklearn belongs to /usr/bin/python3 (README prerequisites).
    settings: { 'cairn.track.experiment': 'e2e', 'cairn.track.pythonCommand': '/usr/bin/python3' },
  });
  const wb = await openWorkbench(cs.url, ws.dir);
  page = wb.page;
  closeBrowser = wb.close;
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  },
  { timeout: 900_000 },
);

after(
  async () => {
  if (page) await screenshot(page, '99-last-state').catch(() => undefined);
  await closeBrowser?.();
  await cs?.stop();
  ws.cleanup();
  },
  { timeout: 60_000 },
);

/** The lens sits above the `__main__` block at the end of the script: bring it into view. */
async function revealLens(): Promise<void> {
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+End');
}

async function clickTrackLens(): Promise<void> {
  await revealLens();
  const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Track this run' });
  await lens.first().waitFor({ timeout: 30_000 });
  await lens.first().click();
}

/** Rows of the Runs view under the experiment (expanding it if needed). */
async function runRows(): Promise<ReturnType<typeof treeRows>> {
  const exp = treeRows(page).filter({ hasText: 'e2e' }).first();
  await exp.waitFor({ timeout: 60_000 });
  if ((await exp.getAttribute('aria-expanded')) === 'false') await exp.click();
  return treeRows(page).filter({ has: page.locator('.codicon-pass, .codicon-sync, .codicon-error') });
}

const t0 = Date.now();
const lap = (what: string) => console.log(`# ${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);

test('the Cairn view container and CodeLens are contributed, and Track this run starts a run', async () => {
  lap('workbench loaded');
  await page.locator('.activitybar .action-item a[aria-label="Cairn"]').waitFor({ timeout: 60_000 });
  lap('Cairn container shown');
  await quickOpen(page, ws.script);
  await revealLens();
  await page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Track this run' }).first().waitFor({ timeout: 30_000 });
  await page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Track with params' }).first().waitFor();
  lap('CodeLens shown');
  await screenshot(page, '01-codelens');
  await clickTrackLens();
  // The terminal running `cairn run` opens and shows the script's output.
  await page.locator('.terminal-wrapper, .xterm').first().waitFor({ timeout: 30_000 });
  await page.locator('.terminal-tabs-entry, .single-terminal-tab', { hasText: 'Cairn' }).first().waitFor({ timeout: 30_000 }).catch(() => undefined);
  await page.waitForTimeout(1500);
  await screenshot(page, '02-terminal');
});

test('the run appears in the Runs view and finishes', async () => {
  await showCairnView(page);
  const rows = await runRows();
  await rows.first().waitFor({ timeout: 60_000 });
  await screenshot(page, '03-run-appears');
  // Finished: the pass icon and the key metric as description.
  const finished = treeRows(page).filter({ has: page.locator('.codicon-pass') });
  await finished.first().waitFor({ timeout: 90_000 });
  const description = await finished.first().locator('.label-description').textContent();
  assert.match(description ?? '', /\w+=-?\d/, `the run's key metric is its description, got '${description}'`);
  await screenshot(page, '04-run-finished');
});

test("the run's detail panel shows its metric chart", async () => {
  const finished = treeRows(page).filter({ has: page.locator('.codicon-pass') }).first();
  await finished.click();
  await page.locator('.tabs-container .tab.active', { hasText: 'Run' }).waitFor({ timeout: 30_000 });
  const view = activeWebview(page);
  await view.locator('cairn-run-detail .run-name').waitFor({ timeout: 30_000 });
  await view.locator('cairn-run-detail nav button.tab-metrics').click();
  const chart = view.locator('cairn-metric-chart[data-metric="val_loss"] canvas');
  await chart.waitFor({ timeout: 30_000 });
  await screenshot(page, '05-run-detail-chart');
});

test('two runs selected in the Runs view open in the diff editor', async () => {
  // A second run, so there are two to compare.
  await page.locator('.tabs-container .tab', { hasText: ws.script.split('/').pop()! }).first().click();
  await clickTrackLens();
  await showCairnView(page);
  const finished = treeRows(page).filter({ has: page.locator('.codicon-pass') });
  await page.waitForFunction(
    () => document.querySelectorAll('.pane-body .monaco-list-row[role="treeitem"] .codicon-pass').length >= 2,
    undefined,
    { timeout: 90_000 },
  );
  await finished.nth(0).click();
  await finished.nth(1).click({ modifiers: ['Control'] });
  await finished.nth(1).click({ button: 'right' });
  const item = page.locator('.context-view .action-item', { hasText: 'Diff Runs' }).first();
  await item.waitFor({ timeout: 10_000 });
  // A context menu can swallow a click that lands while it is still opening (the item is then
  // only highlighted): if the menu is still up, the highlighted item is chosen with Enter.
  await item.hover();
  await item.click();
  const diff = page.locator('.monaco-diff-editor').first();
  for (let attempt = 0; attempt < 3 && (await page.locator('.context-view .monaco-menu').isVisible()); attempt++) {
    await diff.waitFor({ timeout: 2_000 }).catch(() => undefined);
    if (await page.locator('.context-view .monaco-menu').isVisible()) {
      await item.hover();
      await page.keyboard.press('Enter');
    }
  }
  await diff.waitFor({ timeout: 30_000 });
  await page.locator('.tabs-container .tab.active', { hasText: '↔' }).waitFor({ timeout: 10_000 });
  // Both YAML summaries loaded, and the diff marks what differs (at least the names and ids).
  await page.locator('.monaco-diff-editor .modified .view-line', { hasText: 'params:' }).first().waitFor({ timeout: 30_000 });
  await page.locator('.monaco-diff-editor .original .view-line', { hasText: 'params:' }).first().waitFor({ timeout: 30_000 });
  await page.locator('.monaco-diff-editor .line-insert, .monaco-diff-editor .char-insert').first().waitFor({ timeout: 30_000 });
  await screenshot(page, '06-diff-runs');
});
