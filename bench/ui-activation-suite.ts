// Loaded into a real VS Code's extension host by bench/ui.ts (the `?payload=` test route): activates
// Cairn and reports how long `activate()` took, as the extension itself measured it.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { CairnApi } from '../extension/extension';

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<CairnApi>('cairn.cairn');
  if (!ext) throw new Error('cairn.cairn is not installed');
  const started = performance.now();
  const api = await ext.activate();
  const wall = performance.now() - started;
  fs.writeFileSync(process.env['CAIRN_BENCH_OUT']!, JSON.stringify({ activationMs: api.activationMs, activateCallMs: wall }));
}
