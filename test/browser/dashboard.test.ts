// The standalone dashboard in headless Chromium (Debian's, via playwright-core) against a real
// backend holding 10,000 runs: virtualised scrolling, sort, filter, selection → compare, live
// updates that keep scroll and selection, run detail (charts, logs, artifacts), and the XSS case.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Run } from '../../backend/api/mlflow';
import { RUN_ARTIFACTS } from '../../backend/api/run-record';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { tmpDir } from '../helpers/tmp';
import { launchChromium, newPage } from './helpers/chromium';
import { gradientPng } from './helpers/png';
import { seedStore } from './helpers/seed';

const N = 10_000;
const XSS = '<img src=x onerror=alert(1)>';
const SHOTS = path.resolve(__dirname, '..', '..', 'test-results', 'browser');
const dir = tmpDir();
let server: ServerProcess;
let page: Page;
let problems: string[];
let runIds: string[];
let detailRun: Run;

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  // run-09999 (the newest) is named like an XSS payload.
  ({ runIds } = await seedStore(dir, { runs: N, name: (i) => (i === N - 1 ? XSS : `run-${String(i).padStart(5, '0')}`) }));
  server = await startServerProcess(dir, [], { CAIRN_FSYNC: '0' });
  const c = server.client;
  // Histories for the first runs, so charts have lines; markup in logged strings everywhere.
  for (const [k, id] of runIds.slice(0, 4).entries()) {
    const metrics = Array.from({ length: 400 }, (_, s) => ({ key: 'loss', value: Math.exp(-s / (60 + k * 30)), step: s, timestamp: SEED_T(s) }));
    for (let i = 0; i < metrics.length; i += 200) await c.logBatch(id, { metrics: metrics.slice(i, i + 200) });
  }
  detailRun = await c.getRun(runIds[0]!);
  await c.logBatch(runIds[0]!, { params: [{ key: 'html_param', value: '<script>alert(2)</script>' }], tags: [{ key: 'mlflow.note.content', value: '<i>not italic</i>' }] });
  await c.uploadArtifact(detailRun.info, RUN_ARTIFACTS.log, `epoch 1 loss=0.5\n<img src=y onerror=alert(3)>\nepoch 2 loss=0.4\n`);
  await c.uploadArtifact(detailRun.info, 'outputs/report.txt', 'plain <b>text</b> report');
  await c.uploadArtifact(detailRun.info, 'outputs/table.csv', 'name,score\n"a, b",1\n<u>c</u>,2\n');
  await c.uploadArtifact(detailRun.info, 'outputs/plot.png', gradientPng(64, 32));
  const browser = await launchChromium();
  ({ page, problems } = await newPage(browser));
  await page.goto(`${server.url}/?token=${encodeURIComponent(server.token)}`);
});

after(async () => {
  await server?.stop();
});

function SEED_T(s: number): number {
  return 1_700_000_000_000 + s;
}

const rows = () => page.locator('cairn-runs-table .row[data-run-id]');
const names = async () => rows().locator('.name button').allTextContents();

/** Scrolls like a user dragging to the bottom: the virtualizer refines its height as it measures. */
async function scrollToEnd(): Promise<void> {
  const scroller = page.locator('cairn-runs-table .scroller');
  for (let i = 0; i < 30; i++) {
    const atEnd = await scroller.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
      return el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
    });
    await page.waitForTimeout(100);
    if (atEnd && (await page.locator('cairn-runs-table .row[data-run-id] .name button', { hasText: 'run-00000' }).count())) return;
  }
}

async function waitForCount(text: RegExp): Promise<void> {
  await page.waitForFunction((re) => new RegExp(re).test(document.querySelector('cairn-dashboard')?.shadowRoot?.querySelector('cairn-runs-table')?.shadowRoot?.querySelector('.count')?.textContent ?? ''), text.source, { timeout: 30_000 });
}

test('the runs table shows all 10,000 runs, virtualised (only visible rows in the DOM)', async () => {
  await waitForCount(/^10000 runs/);
  await rows().first().waitFor();
  const domRows = await rows().count();
  assert.ok(domRows > 10 && domRows < 200, `virtualised: ${domRows} row elements for ${N} runs`);
  assert.equal((await names())[0], XSS, 'newest first; the payload is shown as text');
  await page.screenshot({ path: path.join(SHOTS, '01-table.png') });
});

test('scrolling reaches the last run and keeps the DOM small', async () => {
  await scrollToEnd();
  await page.locator('cairn-runs-table .row[data-run-id] .name button', { hasText: 'run-00000' }).waitFor({ timeout: 10_000 });
  assert.ok((await rows().count()) < 200);
  await page.screenshot({ path: path.join(SHOTS, '02-scrolled-to-end.png') });
  await page.locator('cairn-runs-table .scroller').evaluate((el) => (el.scrollTop = 0));
});

test('sorting by a metric column, both directions', async () => {
  const header = page.locator('cairn-runs-table .head .cell[data-col="metrics.accuracy"]');
  await header.click(); // first click on a metric: highest first
  await page.waitForFunction(() => true);
  assert.equal((await names())[0], XSS, 'accuracy desc: run 9999 (0.9999) first');
  await header.click();
  await page.locator('cairn-runs-table .row[data-run-id] .name button').first().filter({ hasText: 'run-00000' }).waitFor({ timeout: 10_000 });
  assert.deepEqual((await names()).slice(0, 3), ['run-00000', 'run-00001', 'run-00002']);
  assert.equal(await header.getAttribute('aria-sort'), 'ascending');
  await page.screenshot({ path: path.join(SHOTS, '03-sorted.png') });
});

test('filtering with MLflow syntax narrows the table; a bad filter shows the server message', async () => {
  const input = page.locator('cairn-runs-table vscode-textfield.filter input');
  await input.fill("params.layers = '2' and metrics.accuracy > 0.9");
  await input.press('Enter');
  // i%4 == 1 and i/10000 > 0.9 → i = 9001, 9005, …, 9997: 250 runs.
  await waitForCount(/^250 runs/);
  await page.screenshot({ path: path.join(SHOTS, '04-filtered.png') });
  await input.fill('metrics.accuracy >>> 1');
  await input.press('Enter');
  await page.locator('cairn-runs-table .error[role="alert"]').waitFor();
  assert.match((await page.locator('cairn-runs-table .error').textContent()) ?? '', /INVALID_PARAMETER_VALUE|filter/i);
  // The refused search is the only console error so far (Chromium logs the 400).
  assert.deepEqual(problems.splice(0).map((p) => p.replace(/\d{3} \(Bad Request\)/, '4xx')), ['Failed to load resource: the server responded with a status of 4xx']);
  await input.fill('');
  await input.press('Enter');
  await waitForCount(/^10000 runs/);
});

test('live: a new run appears without a reload, keeping scroll position and selection', async () => {
  // Newest first again, scrolled down a little, one run selected.
  await page.locator('cairn-runs-table .head .cell[data-col="start"]').click();
  if ((await page.locator('cairn-runs-table .head .cell[data-col="start"]').getAttribute('aria-sort')) !== 'descending') await page.locator('cairn-runs-table .head .cell[data-col="start"]').click();
  const scroller = page.locator('cairn-runs-table .scroller');
  await scroller.evaluate((el) => (el.scrollTop = 24 * 40));
  await page.waitForTimeout(200);
  const firstVisible = async () =>
    scroller.evaluate((el) => {
      const top = el.getBoundingClientRect().top + 30;
      const row = [...el.querySelectorAll<HTMLElement>('.row[data-run-id]')].find((r) => r.getBoundingClientRect().top >= top);
      return row?.dataset['runId'];
    });
  const before = await firstVisible();
  const selected = page.locator('cairn-runs-table .row[data-run-id]', { has: page.locator('.name button', { hasText: 'run-09950' }) });
  await selected.locator('input[type="checkbox"]').click();
  const exp = (await server.client.getRun(runIds[0]!)).info.experiment_id;
  const fresh = await server.client.createRun({ experimentId: exp, runName: 'live-run', startTime: Date.now() });
  await waitForCount(/^10001 runs/);
  assert.equal(await firstVisible(), before, 'the rows in view did not move');
  assert.equal(await selected.getAttribute('aria-selected'), 'true', 'selection kept');
  await server.client.logBatch(fresh.info.run_id, { metrics: [{ key: 'accuracy', value: 0.123, step: 0, timestamp: Date.now() }], params: [{ key: 'seed', value: '42' }, { key: 'lr', value: '0.5' }] });
  await scroller.evaluate((el) => (el.scrollTop = 0));
  const liveRow = page.locator('cairn-runs-table .row[data-run-id]', { has: page.locator('.name button', { hasText: 'live-run' }) });
  await liveRow.locator('.cell', { hasText: '0.123' }).waitFor({ timeout: 10_000 });
  await selected.locator('input[type="checkbox"]').click().catch(() => undefined);
  await page.screenshot({ path: path.join(SHOTS, '05-live.png') });
});

test('"only columns that differ" hides the constant seed param; the column picker hides a column', async () => {
  const seedHeader = page.locator('cairn-runs-table .head .cell[data-col="params.seed"]');
  assert.equal(await seedHeader.count(), 1);
  await page.locator('cairn-runs-table vscode-checkbox.only-differing label').click();
  await seedHeader.waitFor({ state: 'detached' });
  assert.equal(await page.locator('cairn-runs-table .head .cell[data-col="params.lr"]').count(), 1);
  await page.locator('cairn-runs-table vscode-checkbox.only-differing label').click();
  await seedHeader.waitFor();
  await page.locator('cairn-runs-table details.picker summary').click();
  await page.locator('cairn-runs-table details.picker input[data-col="commit"]').uncheck();
  await page.locator('cairn-runs-table .head .cell[data-col="commit"]').waitFor({ state: 'detached' });
  await page.locator('cairn-runs-table details.picker input[data-col="commit"]').check();
  await page.locator('cairn-runs-table details.picker summary').click();
});

test('selecting runs and pressing Compare overlays them per metric with a params diff', async () => {
  await scrollToEnd();
  for (const name of ['run-00000', 'run-00001', 'run-00002']) {
    await page.locator('cairn-runs-table .row[data-run-id]', { has: page.locator('.name button', { hasText: name }) }).locator('input[type="checkbox"]').click();
  }
  await page.locator('cairn-runs-table vscode-button.compare').click();
  await page.waitForURL(/#\/compare\//);
  const chart = page.locator('cairn-compare cairn-metric-chart[data-metric="loss"]');
  await chart.locator('canvas').first().waitFor({ timeout: 15_000 });
  const legend = await chart.locator('.u-legend .u-series').count();
  assert.equal(legend, 4, 'x + three runs in the legend');
  const paramRows = await page.locator('cairn-compare table.params tr[data-param]').evaluateAll((trs) => trs.map((t) => t.getAttribute('data-param')));
  assert.deepEqual(paramRows.sort(), ['layers', 'lr', 'html_param'].sort(), 'only differing params (seed is equal everywhere)');
  await page.locator('cairn-compare cairn-parallel-coords polyline').first().waitFor();
  assert.equal(await page.locator('cairn-compare cairn-parallel-coords polyline').count(), 3);
  await page.screenshot({ path: path.join(SHOTS, '06-compare.png'), fullPage: true });
});

test('run detail: metric chart, smoothing, log tail, artifacts (text, CSV, image), all markup shown as text', async () => {
  await page.goto(`${server.url}/#/run/${runIds[0]}`);
  await page.locator('cairn-run-detail .run-name').waitFor();
  assert.equal(await page.locator('cairn-run-detail table.params th', { hasText: 'html_param' }).count(), 1);
  assert.equal(await page.locator('cairn-run-detail table.params td', { hasText: '<script>alert(2)</script>' }).count(), 1);
  assert.equal(await page.locator('cairn-run-detail textarea').inputValue(), '<i>not italic</i>');
  await page.locator('cairn-run-detail nav button.tab-metrics').click();
  await page.locator('cairn-run-detail cairn-metric-chart[data-metric="loss"] canvas').first().waitFor();
  assert.match((await page.locator('cairn-run-detail cairn-metric-chart[data-metric="loss"] .meta').textContent()) ?? '', /400 of 400 points/);
  // Drag-zoom fetches the zoomed step range at full resolution; a double-click goes back.
  const meta = page.locator('cairn-run-detail cairn-metric-chart[data-metric="loss"] .meta');
  const over = page.locator('cairn-run-detail cairn-metric-chart[data-metric="loss"] .u-over');
  const box = (await over.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(
    () => /^\s*(\d+) of 400 points/.exec(document.querySelector('cairn-dashboard')?.shadowRoot?.querySelector('cairn-run-detail')?.shadowRoot?.querySelector('cairn-metric-chart[data-metric="loss"]')?.shadowRoot?.querySelector('.meta')?.textContent ?? '')?.[1] !== '400',
    undefined,
    { timeout: 10_000 },
  );
  const zoomed = Number(/(\d+) of 400/.exec((await meta.textContent()) ?? '')?.[1]);
  assert.ok(zoomed > 20 && zoomed < 200, `a zoomed range of about a fifth of the steps, got ${zoomed}`);
  await over.dblclick();
  await meta.filter({ hasText: '400 of 400 points' }).waitFor({ timeout: 10_000 });
  await page.locator('cairn-run-detail input.smoothing').fill('0.8');
  await page.locator('cairn-run-detail cairn-metric-chart[data-metric="loss"] .u-legend .u-series', { hasText: '(raw)' }).waitFor();
  await page.screenshot({ path: path.join(SHOTS, '07-run-metrics.png') });
  await page.locator('cairn-run-detail nav button.tab-logs').click();
  await page.locator('cairn-run-detail pre.log', { hasText: '<img src=y onerror=alert(3)>' }).waitFor();
  await page.locator('cairn-run-detail nav button.tab-artifacts').click();
  await page.locator('cairn-artifacts button.link', { hasText: 'outputs/' }).click();
  await page.locator('cairn-artifacts button.artifact[data-path="outputs/report.txt"]').click();
  await page.locator('cairn-artifact-preview pre.artifact-text', { hasText: 'plain <b>text</b> report' }).waitFor();
  await page.locator('cairn-artifacts button.artifact[data-path="outputs/table.csv"]').click();
  await page.locator('cairn-artifact-preview .csv td', { hasText: 'a, b' }).waitFor();
  assert.equal(await page.locator('cairn-artifact-preview .csv td', { hasText: '<u>c</u>' }).count(), 1);
  await page.locator('cairn-artifacts button.artifact[data-path="outputs/plot.png"]').click();
  const img = page.locator('cairn-artifact-preview img');
  await img.waitFor();
  assert.match((await img.getAttribute('src')) ?? '', /^blob:/);
  await page.waitForFunction(() => {
    const i = document.querySelector('cairn-dashboard')?.shadowRoot?.querySelector('cairn-run-detail')?.shadowRoot?.querySelector('cairn-artifacts')?.shadowRoot?.querySelector('cairn-artifact-preview')?.shadowRoot?.querySelector('img');
    return i?.complete && i.naturalWidth === 64;
  });
  await page.screenshot({ path: path.join(SHOTS, '08-artifact-image.png') });
});

test('XSS: nothing a run logged became markup, no script ran, and the CSP saw no violation', async () => {
  await page.goto(`${server.url}/#/run/${runIds[N - 1]}`);
  await page.locator('cairn-run-detail .run-name', { hasText: XSS }).waitFor();
  // A string, so the bundler's helpers (e.g. __name) are not pulled into the page.
  const injected = (await page.evaluate(`(() => {
    const found = [];
    const walk = (root) => {
      root.querySelectorAll('*').forEach((el) => {
        if (el.tagName === 'IMG' && (el.getAttribute('src') === 'x' || el.getAttribute('src') === 'y')) found.push('img');
        if (el.tagName === 'SCRIPT' && /alert/.test(el.textContent || '')) found.push('script');
        if (el.tagName === 'B' || el.tagName === 'U' || (el.tagName === 'I' && el.textContent === 'not italic')) found.push(el.tagName);
        if (el.shadowRoot) walk(el.shadowRoot);
      });
    };
    walk(document);
    return found;
  })()`)) as string[];
  assert.deepEqual(injected, []);
  assert.deepEqual(problems, [], 'no console errors, dialogs or CSP violations');
});

test('without the token the dashboard shows only the sign-in page', async () => {
  const { page: anon } = await newPage(await launchChromium());
  const res = await anon.goto(`${server.url}/`);
  assert.equal(res?.status(), 401);
  await anon.locator('form input[name="token"]').waitFor();
  assert.equal(await anon.locator('cairn-dashboard').count(), 0);
  await anon.locator('form input[name="token"]').fill(server.token);
  await anon.locator('form button').click();
  await anon.locator('cairn-runs-table .row[data-run-id]').first().waitFor({ timeout: 30_000 });
  await anon.context().close();
});
