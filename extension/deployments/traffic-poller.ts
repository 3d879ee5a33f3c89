import * as vscode from 'vscode';
import type { DeploymentTraffic } from '../../backend/api/serving';
import type { Log } from '../log';
import type { DeploymentsChange } from './deployments-model';

export const TRAFFIC_POLL_MS = 2000;

/**
 * Polls the traffic figures (req/s, p50/p99) — they change without events — only while the
 * Deployments view is visible and something is deployed. One request in flight at a time.
 */
export class TrafficPoller implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly view: vscode.TreeView<unknown>,
    private readonly opts: {
      hasDeployments: () => boolean;
      fetch: () => Promise<DeploymentTraffic[]> | undefined;
      apply: (t: DeploymentTraffic[]) => DeploymentsChange[];
      refresh: (c: DeploymentsChange[]) => void;
      log: Log;
    },
  ) {
    this.sub = view.onDidChangeVisibility(() => this.update());
    this.update();
  }

  private update(): void {
    if (this.view.visible && !this.timer) this.timer = setInterval(() => void this.tick(), TRAFFIC_POLL_MS);
    else if (!this.view.visible && this.timer) this.stop();
  }

  private async tick(): Promise<void> {
    if (this.busy || !this.opts.hasDeployments()) return;
    const pending = this.opts.fetch();
    if (!pending) return;
    this.busy = true;
    try {
      this.opts.refresh(this.opts.apply(await pending));
    } catch (err) {
      this.opts.log.debug('tree', `traffic poll failed: ${(err as Error).message}`);
    } finally {
      this.busy = false;
    }
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.stop();
    this.sub.dispose();
  }
}
