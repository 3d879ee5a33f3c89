// Runs the test layers in order and ends with one line: how many tests passed and failed.
//   node test/run.mjs [unit|integration|browser|e2e …]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const LAYERS = ['unit', 'integration', 'browser', 'e2e'];
// Each e2e file runs a whole VS Code and a browser: one at a time on a 2-core machine.
const CONCURRENCY = { e2e: 1 };
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : LAYERS;

function testFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true })
    .filter((f) => String(f).endsWith('.test.ts'))
    .map((f) => path.join(dir, String(f)))
    .sort();
}

// The PostgreSQL tests (unit and integration) need a server: start Debian's if it is installed and
// not yet running, so `npm test` alone holds on a fresh machine. If this fails, those tests fail
// with a message naming the missing prerequisite.
function ensurePostgres() {
  if (process.env.CAIRN_TEST_PG_URL) return;
  if (spawnSync('pg_isready', ['-q', '-h', '127.0.0.1', '-p', '5432']).status === 0) return;
  console.log('starting PostgreSQL for the tests (scripts/start-postgres.sh)');
  const r = spawnSync('bash', [path.join(root, 'scripts', 'start-postgres.sh')], { stdio: 'inherit' });
  if (r.status !== 0) console.error('could not start PostgreSQL: the PostgreSQL tests will fail (see above)');
}
if (wanted.some((l) => l === 'unit' || l === 'integration')) ensurePostgres();

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
for (const layer of wanted) {
  if (!LAYERS.includes(layer)) {
    console.error(`unknown test layer '${layer}' (expected ${LAYERS.join(', ')})`);
    process.exit(2);
  }
  const files = testFiles(path.join(root, 'test', layer));
  if (files.length === 0) continue;
  console.log(`\n=== ${layer}: ${files.length} file(s)`);
  const counts = path.join(os.tmpdir(), `cairn-test-counts-${process.pid}-${layer}.json`);
  fs.rmSync(counts, { force: true });
  const started = Date.now();
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-reporter=${path.join(root, 'test/reporter.mjs')}`, `--test-concurrency=${CONCURRENCY[layer] ?? 2}`, ...files],
    { cwd: root, stdio: 'inherit', env: { ...process.env, CAIRN_TEST_COUNTS: counts, CAIRN_ROOT: root } },
  );
  const c = fs.existsSync(counts) ? JSON.parse(fs.readFileSync(counts, 'utf8')) : { passed: 0, failed: 1, skipped: 0 };
  if (r.status !== 0 && c.failed === 0) c.failed = 1; // a crashed file counts as a failure
  totals.passed += c.passed;
  totals.failed += c.failed;
  totals.skipped += c.skipped;
  lines.push(`${layer}: ${c.passed} passed, ${c.failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
console.log(`\n${lines.join('\n')}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed > 0 || totals.skipped > 0 ? 1 : 0);
