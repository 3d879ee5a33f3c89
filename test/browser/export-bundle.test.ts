import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { CLI } from '../helpers/server-process';
import { FEATURES, trainWeatherTfjs, weatherRows } from '../helpers/models';
import { tmpDir } from '../helpers/tmp';

const CHROMIUM = process.env['CAIRN_CHROMIUM'] ?? '/usr/bin/chromium';
const root = tmpDir();
const bundle = path.join(root, 'bundle');
let server: http.Server;
let base: string;
let browser: Browser | undefined;

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };

before(async () => {
  const modelDir = path.join(root, 'model');
  await trainWeatherTfjs(modelDir, { epochs: 2 });
  const r = spawnSync(process.execPath, [CLI, 'export', modelDir, '--format', 'tfjs-bundle', '--out', bundle], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  // A plain static file server: the bundle needs nothing else.
  server = http.createServer((req, res) => {
    const name = path.basename(new URL(req.url ?? '/', 'http://x').pathname) || 'index.html';
    if (name === 'favicon.ico') return void res.writeHead(204).end();
    const file = path.join(bundle, name);
    if (!fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await browser?.close();
  server?.close();
});

describe('exported TF.js bundle in a browser', () => {
  it('predicts in Chromium the same values as in Node, with the demo page under its CSP', async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install the Debian package 'chromium' (README ci-packages)`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${base}/index.html`);
    await page.waitForFunction(() => /loaded on the wasm backend|Error/.test(document.getElementById('out')?.textContent ?? ''), undefined, { timeout: 30_000 });
    assert.equal(await page.textContent('#out'), 'loaded on the wasm backend', problems.join('\n'));
    const rows = weatherRows().slice(0, 3).map((r) => Object.fromEntries(FEATURES.map((f) => [f, r[f as 'wind']])));
    await page.fill('#rows', JSON.stringify(rows));
    await page.click('#run');
    await page.waitForFunction(() => (document.getElementById('out')?.textContent ?? '').includes('predictions'));
    const inBrowser = JSON.parse((await page.textContent('#out'))!) as { predictions: number[][]; labels: string[] };
    const script = `require('./cairn-model.js').load().then(async (m) => console.log(JSON.stringify(await m.predict(${JSON.stringify(rows)}))))`;
    const node = spawnSync(process.execPath, ['-e', script], { cwd: bundle, encoding: 'utf8', env: { PATH: process.env['PATH'] } });
    assert.equal(node.status, 0, node.stderr);
    const inNode = JSON.parse(node.stdout) as number[][];
    inBrowser.predictions.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - inNode[i]![j]!) < 1e-5, `row ${i}[${j}]: browser ${v} vs node ${inNode[i]![j]}`)));
    assert.equal(inBrowser.labels.length, 3);
    assert.deepEqual(problems, [], 'no console errors or CSP violations');
  });
});
