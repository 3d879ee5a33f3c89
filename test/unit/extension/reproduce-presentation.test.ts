import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ReproduceReport } from '../../../backend/api/reproduce';
import { reproduceMarkdown } from '../../../extension/reproduce/reproduce-presentation';

const report = (over: Partial<ReproduceReport> = {}): ReproduceReport => ({
  original_run_id: 'orig1',
  new_run_id: 'new2',
  worktree: '/ws/.cairn/worktrees/orig1-1',
  commit: '0123456789abcdef0123',
  exit_code: 0,
  code: { identical: true, detail: 'commit 0123456789ab, no uncommitted changes' },
  data: { identical: true, datasets: [{ path: 'data/train.csv', hash_original: 'a'.repeat(64), hash_reproduced: 'a'.repeat(64), identical: true }] },
  params: { identical: true, differences: [] },
  metrics: { within_tolerance: true, tolerance: 0, metrics: [{ key: 'loss', original: 0.5, reproduced: 0.5, status: 'equal' }] },
  reproduced: true,
  ...over,
});

test('a reproduced run: verdict, summary table, data and metrics sections', () => {
  const md = reproduceMarkdown(report());
  assert.match(md, /^# Reproduced: run `orig1`/);
  assert.match(md, /\| code \| ✅ identical \|/);
  assert.match(md, /\| metrics \| ✅ equal \| 1 metric\(s\) \|/);
  assert.match(md, /\| `data\/train\.csv` \| `aaaaaaaaaaaa` \| `aaaaaaaaaaaa` \| same \|/);
  assert.match(md, /\| `loss` \| `0.5` \| `0.5` \| equal \|/);
  assert.doesNotMatch(md, /Params that differ/);
});

test('differences are listed, and run-supplied text cannot inject Markdown', () => {
  const md = reproduceMarkdown(
    report({
      reproduced: false,
      params: { identical: false, differences: [{ key: 'lr', original: '0.1', reproduced: '`x`\n# injected' }] },
      metrics: { within_tolerance: false, tolerance: 0.01, metrics: [{ key: 'loss', original: 0.5, reproduced: 0.7, status: 'differs' }, { key: 'acc', original: 1, status: 'missing' }] },
    }),
  );
  assert.match(md, /^# Not reproduced/);
  assert.match(md, /\| `lr` \| `0.1` \| `'x' # injected` \|/);
  assert.doesNotMatch(md, /\n# injected/);
  assert.match(md, /\| metrics \| ❌ different \|/);
  assert.match(md, /\| `acc` \| `1` \| — \| missing \|/);
});
