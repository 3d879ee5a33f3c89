import * as vscode from 'vscode';
import type { DeliveredEvent } from '../../backend/api/cairn';
import type { HostActions, HostRequests } from '../../webview-ui/protocol/host';
import type { HostToWebview, WebviewToHost } from '../../webview-ui/protocol/messages';
import { PANEL_ACTIONS, PANEL_REQUESTS, type PanelName } from '../../webview-ui/protocol/panels';
import type { Log } from '../log';

/**
 * Connects one webview panel to the extension: requests the panel's protocol allows are answered
 * through a typed map of handlers (no string switch), actions run VS Code commands, and change
 * events from the single SSE subscription are forwarded as they come (never whole tables).
 */
export class PanelBridge implements vscode.Disposable {
  private readonly subs: vscode.Disposable[] = [];
  private readonly queue: HostToWebview[] = [];
  private ready = false;
  /** Requests answered so far, by method (tests check a panel really loaded its data). */
  readonly served: string[] = [];

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly name: PanelName,
    private readonly requests: () => Promise<HostRequests>,
    private readonly actions: HostActions,
    private readonly log: Log,
  ) {
    this.subs.push(panel.webview.onDidReceiveMessage((m: WebviewToHost) => void this.receive(m)));
  }

  event(e: DeliveredEvent): void {
    this.post({ kind: 'event', event: e });
  }

  resync(): void {
    this.post({ kind: 'resync' });
  }

  private post(m: HostToWebview): void {
    if (!this.ready) {
      if (m.kind === 'event' && this.queue.length > 1000) this.queue.splice(0, this.queue.length, { kind: 'resync' });
      this.queue.push(m);
      return;
    }
    void this.panel.webview.postMessage(m);
  }

  private async receive(m: WebviewToHost): Promise<void> {
    if (m.kind === 'ready') {
      this.ready = true;
      for (const q of this.queue.splice(0)) void this.panel.webview.postMessage(q);
      return;
    }
    if (m.kind === 'action') {
      if (!PANEL_ACTIONS[this.name].includes(m.action)) return this.log.warn('webview', `${this.name}: action ${m.action} is not in its protocol`);
      (this.actions[m.action] as (...a: unknown[]) => void)(...m.args);
      return;
    }
    if (m.kind !== 'request') return;
    if (!PANEL_REQUESTS[this.name].includes(m.method)) {
      void this.panel.webview.postMessage({ kind: 'response', id: m.id, ok: false, error: `${m.method} is not part of the ${this.name} protocol` } satisfies HostToWebview);
      return;
    }
    try {
      const handlers = await this.requests();
      const result = await (handlers[m.method] as (...a: unknown[]) => Promise<unknown>)(...m.args);
      this.served.push(m.method);
      void this.panel.webview.postMessage({ kind: 'response', id: m.id, ok: true, result } satisfies HostToWebview);
    } catch (err) {
      this.log.warn('webview', `${this.name}: ${m.method} failed: ${(err as Error).message}`);
      void this.panel.webview.postMessage({ kind: 'response', id: m.id, ok: false, error: (err as Error).message } satisfies HostToWebview);
    }
  }

  dispose(): void {
    this.subs.forEach((d) => d.dispose());
  }
}
