// The Dataset Diff panel in headless Chromium, served exactly as the extension serves it (the
// strict-CSP webview HTML, the webview bundle), showing a real `cairn data diff` report of two
// committed versions of a CSV whose column names and values carry markup.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { DataDiffReport } from '../../backend/api/data';
import { addData } from '../../backend/data/add';
import { diffData } from '../../backend/data/diff';
import { openWorkspace } from '../../backend/data/workspace';
import { panelHtml } from '../../extension/webviews/webview-html';
import { tmpDir } from '../helpers/tmp';
import { launchChromium, newPage } from './helpers/chromium';

const XSS = '<img src=x onerror=alert(1)>';
const DIST = path.resolve(__dirname, '..', '..', 'dist', 'webview');
const dir = tmpDir();
let server: http.Server;
let page: Page;
let problems: string[];
let report: DataDiffReport;

function csv(rows: number, extra: boolean): string {
  const head = ['id', 'score', `"${XSS}"`, ...(extra ? ['late'] : [])].join(',');
  const lines = Array.from({ length: rows }, (_, i) => [i, (i * 0.37).toFixed(2), i % 2 ? `"<b>x${i}</b>"` : 'plain', ...(extra ? [i * 2] : [])].join(','));
  return [head, ...lines].join('\n') + '\n';
}

before(async () => {
  if (!fs.existsSync(path.join(DIST, 'vscode.js'))) throw new Error("dist/webview/vscode.js is missing: run 'npm run build'");
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: dir, stdio: 'pipe' });
  git('init', '-q');
  const ws = await openWorkspace(dir, { CAIRN_FSYNC: '0' });
  fs.writeFileSync(path.join(dir, 'table.csv'), csv(30, false));
  await addData(ws, ['table.csv'], { cwd: dir });
  git('add', '-A');
  git('commit', '-qm', 'v1');
  fs.writeFileSync(path.join(dir, 'table.csv'), csv(42, true));
  await addData(ws, ['table.csv'], { cwd: dir });
  git('commit', '-qam', 'v2');
  report = await diffData(ws, 'table.csv', 'HEAD~1', 'HEAD', { cwd: dir });

  server = http.createServer((req, res) => {
    const origin = `http://${req.headers.host}`;
    if (req.url === '/') {
      res.setHeader('Content-Type', 'text/html');
      return res.end(panelHtml({ panel: 'dataset-diff', state: { report } }, { cspSource: origin, scriptUri: `${origin}/vscode.js`, styleUris: [`${origin}/panel.css`] }));
    }
    if (req.url === '/favicon.ico') return res.writeHead(204).end();
    const file = path.join(DIST, path.basename(req.url ?? ''));
    if (!fs.existsSync(file)) return res.writeHead(404).end();
    res.setHeader('Content-Type', file.endsWith('.js') ? 'text/javascript' : 'text/css');
    res.end(fs.readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const browser = await launchChromium();
  ({ page, problems } = await newPage(browser));
  // What VS Code gives every webview; the panel needs no request from the host.
  await page.addInitScript({ content: 'window.acquireVsCodeApi = () => ({ postMessage() {}, getState() { return undefined; }, setState() {} });' });
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
});

after(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

test('the report is a real diff: 30 → 42 rows, one column added, stats changed', () => {
  const t = report.files[0]!.tabular!;
  // A new column changes every row: all of v1's rows are gone, all of v2's are new.
  assert.deepEqual([t.rows_a, t.rows_b, t.rows_added, t.rows_removed], [30, 42, 42, 30]);
  assert.deepEqual(t.schema.map((s) => [s.column, s.change]), [['late', 'added']]);
});

test('the panel renders rows delta, schema change and changed column statistics as text', async () => {
  const view = page.locator('cairn-dataset-diff');
  await view.locator('.rows').waitFor({ timeout: 10_000 }).catch((err: Error) => {
    throw new Error(`${err.message}\nproblems: ${problems.join('\n')}`);
  });
  assert.match(await view.locator('h2.title').textContent() ?? '', /^table\.csv: /);
  const rows = (await view.locator('.rows').textContent())!.replace(/\s+/g, ' ');
  assert.match(rows, /Rows: 30 → 42 \(\+12\)/);
  assert.match(rows, /42 added, 30 removed/);
  assert.deepEqual(await view.locator('ul.schema li').allTextContents(), ['added column late']);
  const stats = await view.locator('table.stats tr[data-column]').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  assert.ok(stats.some((r) => r[0] === 'score' && r[1] === 'max'), JSON.stringify(stats));
  assert.ok(stats.some((r) => r[0] === 'late' && r[2] === '(no column)'), JSON.stringify(stats));
  assert.ok(stats.some((r) => r[0] === XSS), `the markup-named column is listed as text: ${JSON.stringify(stats)}`);
});

test('markup in column names stays text; no CSP violation, script error or dialog', async () => {
  const injected = await page.locator('cairn-dataset-diff').evaluate((el) => [...el.shadowRoot!.querySelectorAll('img, b')].filter((e) => e.tagName === 'IMG' || /^x\d/.test(e.textContent ?? '')).length);
  assert.equal(injected, 0);
  assert.deepEqual(problems, []);
});
