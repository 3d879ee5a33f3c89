// Tests that call the vscode API inside the extension host of the same real VS Code (code-server):
// the suite in host/suite.ts is bundled and loaded through the workbench's `?payload=` route with
// the repository as the extension development path. Each of its tests is reported here.
import assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT } from './harness/root';
import { startCodeServer, type CodeServer } from './harness/code-server';
import { openWorkbench, screenshot } from './harness/workbench';
import { e2eWorkspace } from './harness/workspace';

const ws = e2eWorkspace();
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-e2e-host-'));
const resultsFile = path.join(out, 'results.json');
let cs: CodeServer;
let results: { name: string; ok: boolean; ms: number; error?: string }[] = [];
let exitCode: number | undefined;

before(
  async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'extension.js'))) throw new Error("dist/extension.js is missing: run 'npm run build'");
  await esbuild.build({ entryPoints: [path.join(__dirname, 'host', 'suite.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], outfile: path.join(out, 'suite.js'), logLevel: 'warning' });
  cs = await startCodeServer({ workspace: ws.dir, env: { CAIRN_E2E_RESULTS: resultsFile } });
  const authority = new URL(cs.url).host;
  const remote = (p: string) => `vscode-remote://${authority}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(ROOT)],
    ['extensionTestsPath', remote(path.join(out, 'suite.js'))],
  ];
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  const wb = await openWorkbench(cs.url, ws.dir, `&payload=${encodeURIComponent(JSON.stringify(payload))}`, async (ctx) => {
    await ctx.exposeFunction('codeAutomationExit', (code: number) => finish(code));
  });
  try {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_r, reject) => {
      timer = setTimeout(() => reject(new Error(`the extension-host tests did not finish in 240 s; code-server log:\n${cs.log().slice(-3000)}`)), 240_000);
    });
    exitCode = await Promise.race([finished, timeout]);
    clearTimeout(timer);
  } finally {
    await screenshot(wb.page, 'host-tests-final').catch(() => undefined);
    await wb.close();
  }
  if (fs.existsSync(resultsFile)) results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as typeof results;
  },
  { timeout: 900_000 },
);

after(
  async () => {
  await cs?.stop();
  fs.rmSync(out, { recursive: true, force: true });
  ws.cleanup();
  },
  { timeout: 60_000 },
);

test('the extension-host suite ran and reported', () => {
  assert.ok(results.length >= 10, `expected the suite's results in ${resultsFile}, got ${results.length} (exit code ${exitCode})`);
});

// One node:test per extension-host test, so each shows up (and fails) on its own.
const NAMES = [
  'the extension activates and exports its services',
  'every command is registered and contributed under the Cairn category',
  'Show Backend Info connects to (or starts) the local backend',
  'the CodeLens provider puts Track this run above training scripts only',
  'the Runs tree lists experiments → runs with stable ids, key metric, params tooltip and status',
  'live: a new metric and a finished status update only that run node',
  'star, rename, note and tag commands write the run record',
  'the filter command accepts MLflow syntax and narrows the tree',
  'Diff Runs opens the diff editor between two YAML run summaries',
  "Diff Run Code shows each run's commit plus its recorded uncommitted diff",
  'Open Run opens the run detail webview panel',
  'delete and restore change the lifecycle and the tree',
  'Track this run starts `cairn run` in a terminal',
  'monitoring: the Pipeline view shows cairn.yaml stages in DAG order, Run Pipeline runs them',
  'monitoring: Run Drift Report on two CSVs opens the drift report panel with the shifted column drifting',
  'monitoring: the Monitors view lists the cairn.yaml monitor and its status',
];
for (const name of NAMES) {
  test(`[extension host] ${name}`, () => {
    const r = results.find((x) => x.name === name);
    assert.ok(r, `no result for '${name}' (exit code ${exitCode})`);
    assert.ok(r.ok, r.error);
  });
}

test('the extension-host run exited with code 0', () => {
  assert.equal(exitCode, 0);
});
