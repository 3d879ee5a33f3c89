// The drift report panel in headless Chromium (Debian's, via playwright-core), through the
// standalone dashboard's `#/drift/<id>` route, against a report a real backend computed from two
// generated CSVs (`temp` shifted): the banner's share, one row per column with test, score,
// threshold and two sparklines, and a row expanded to the overlaid histogram. Column names are text.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type { StoredDriftReport } from '../../backend/api/drift';
import { formatScore } from '../../webview-ui/drift-report/drift-layout';
import { driftCsvPair } from '../helpers/drift-csv';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { tmpDir } from '../helpers/tmp';
import { launchChromium, newPage } from './helpers/chromium';

const ws = tmpDir();
const MARKUP = '<b>wind</b>';
let server: ServerProcess;
let page: Page;
let problems: string[];
let report: StoredDriftReport;

before(async () => {
  const { reference, current } = driftCsvPair(1000, 2);
  // a column name that is markup: it must show as text
  const rename = (csv: string) => csv.replace('temp,wind,weather', `temp,${MARKUP},weather`);
  fs.writeFileSync(path.join(ws, 'ref.csv'), rename(reference));
  fs.writeFileSync(path.join(ws, 'cur.csv'), rename(current));
  server = await startServerProcess(path.join(ws, '.cairn'), [], { CAIRN_FSYNC: '0' });
  report = await server.client.createDriftReport({ reference: { path: 'ref.csv' }, current: { path: 'cur.csv' } });
  ({ page, problems } = await newPage(await launchChromium()));
  await page.goto(`${server.url}/?token=${encodeURIComponent(server.token)}#/drift/${report.id}`);
});

after(async () => {
  await server?.stop();
});

/** Painted pixels of a canvas (uPlot draws on one). */
const painted = (canvas: Locator) =>
  canvas.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
    return n;
  });

test('the banner shows the share of drifted columns and the verdict', async () => {
  const banner = page.locator('cairn-drift-report .banner');
  await banner.waitFor();
  assert.equal(report.number_of_drifted_columns, 1, 'the generated data drifts in temp only');
  assert.equal(await banner.locator('.headline').textContent(), 'Drift is detected for 33.33% of columns (1 out of 3).');
  assert.match((await banner.textContent())!, /Dataset drift is NOT detected\. Dataset drift detection threshold is 0\.5\./);
  assert.match((await banner.locator('.sources').textContent())!, /ref\.csv \(1,000 rows\).*cur\.csv \(1,000 rows\)/);
});

test('one row per column, drifted first, with the test, score, threshold and two sparklines', async () => {
  const rows = page.locator('cairn-drift-report tr.row');
  assert.equal(await rows.count(), 3);
  const columns = await rows.evaluateAll((trs) => trs.map((t) => t.getAttribute('data-column')));
  assert.deepEqual(columns, ['temp', MARKUP, 'weather']);
  for (const [i, name] of columns.entries()) {
    const c = report.columns.find((x) => x.column === name)!;
    const row = rows.nth(i);
    assert.equal(await row.locator('.verdict').textContent(), c.drift_detected ? 'Detected' : 'Not detected');
    assert.equal(await row.locator('.stattest').textContent(), c.stattest_display_name);
    assert.equal(Number(await row.locator('.threshold').textContent()), c.threshold);
    assert.equal(await row.locator('.score').textContent(), formatScore(c.drift_score));
    for (const side of ['reference', 'current']) {
      const canvas = row.locator(`cairn-dist-chart.spark.${side} canvas`).first();
      assert.ok((await painted(canvas)) > 20, `${name} ${side} sparkline is drawn`);
    }
  }
  assert.equal(await rows.nth(0).locator('.verdict').textContent(), 'Detected');
  // the markup column name is text, not an element
  assert.equal(await rows.nth(1).locator('b').count(), 0);
  assert.match((await rows.nth(1).locator('button.toggle').textContent())!, /<b>wind<\/b>/);
});

test('a row expands to the overlaid reference/current histogram and both summaries', async () => {
  const temp = page.locator('cairn-drift-report tr.row[data-column="temp"]');
  await temp.locator('button.toggle').click();
  const detail = page.locator('cairn-drift-report tr.detail[data-column="temp"]');
  await detail.waitFor();
  assert.equal(await temp.locator('button.toggle').getAttribute('aria-expanded'), 'true');
  const chart = detail.locator('cairn-dist-chart.overlay');
  const legend = await chart.locator('.u-legend .u-series .u-label').allTextContents();
  assert.deepEqual(legend.slice(1), ['reference', 'current']);
  assert.ok((await painted(chart.locator('canvas').first())) > 500, 'the overlay is drawn');
  const c = report.columns.find((x) => x.column === 'temp')!;
  assert.equal(await detail.locator('.description').textContent(), c.description);
  const summary = await detail.locator('table.summary tr').allTextContents();
  assert.ok(summary.some((r) => r.startsWith('rows') && r.includes('1,000')), summary.join(' | '));
  await temp.locator('button.toggle').click();
  await detail.waitFor({ state: 'detached' });
  assert.deepEqual(problems, []);
});
