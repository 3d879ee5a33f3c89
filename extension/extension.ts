import * as vscode from 'vscode';
import { Container } from './container';

let container: Container | undefined;

/** What `vscode.extensions.getExtension('cairn.cairn').exports` returns (tests and the UI bench read it). */
export interface CairnApi {
  activationMs: number;
  services: Container['services'];
}

export function activate(context: vscode.ExtensionContext): CairnApi {
  const started = performance.now();
  container = new Container(context);
  context.subscriptions.push(container);
  const activationMs = performance.now() - started;
  container.services.log.info('activate', `activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, services: container.services };
}

export function deactivate(): void {
  container?.dispose();
  container = undefined;
}
