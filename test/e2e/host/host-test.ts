// The tiny test registry shared by the extension-host suites: each feature's suite file registers
// its tests with `test(...)`; suite.ts imports every suite file and runs them in order.
import * as vscode from 'vscode';
import type { CairnApi } from '../../../extension/extension';

export type HostTest = { name: string; fn: () => Promise<void> };
export const tests: HostTest[] = [];
export const test = (name: string, fn: () => Promise<void>): void => {
  tests.push({ name, fn });
};

export async function until<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The activated extension's API (activates it on first use). */
export async function cairnApi(): Promise<CairnApi> {
  const ext = vscode.extensions.getExtension<CairnApi>('cairn.cairn');
  if (!ext) throw new Error('extension cairn.cairn is not installed');
  return ext.activate();
}

export const workspaceDir = (): string => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
