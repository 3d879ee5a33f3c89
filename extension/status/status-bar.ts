import * as vscode from 'vscode';
import type { DeliveredEvent } from '../../backend/api/cairn';
import type { BackendState } from '../backend/backend-target';
import { formatNumber } from '../runs/run-presentation';

interface LiveRun {
  runId: string;
  metric?: { key: string; value: number };
}

/**
 * One status-bar item (left, workspace-wide): the backend's state, or the live run with its latest
 * metric while one is running.
 */
export class CairnStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private backend: BackendState = { status: 'idle' };
  private readonly live = new Map<string, LiveRun>();
  private names = new Map<string, string>();

  constructor() {
    this.item = vscode.window.createStatusBarItem('cairn.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Cairn';
    this.render();
    this.item.show();
  }

  setBackendState(s: BackendState): void {
    this.backend = s;
    if (s.status !== 'connected') this.live.clear();
    this.render();
  }

  setRunName(runId: string, name: string): void {
    this.names.set(runId, name);
    if (this.live.has(runId)) this.render();
  }

  onEvent(e: DeliveredEvent): void {
    if (e.type === 'run.created') this.live.set(e.runId, { runId: e.runId });
    else if (e.type === 'run.updated' && e.status) {
      if (e.status === 'RUNNING') this.live.set(e.runId, this.live.get(e.runId) ?? { runId: e.runId });
      else {
        this.live.delete(e.runId);
        this.names.delete(e.runId);
      }
    } else if (e.type === 'metrics.appended') {
      const run = this.live.get(e.runId);
      if (!run) return;
      const l = e.latest.find((m) => m.key === run.metric?.key) ?? e.latest[0];
      if (l) run.metric = { key: l.key, value: typeof l.value === 'number' ? l.value : Number(l.value) };
    } else return;
    this.render();
  }

  /** Runs seen starting and not yet seen ending. */
  get liveRunIds(): string[] {
    return [...this.live.keys()];
  }

  private render(): void {
    const s = this.backend;
    const live = [...this.live.values()].at(-1);
    if (s.status === 'connected' && live) {
      const name = this.names.get(live.runId) ?? live.runId.slice(0, 8);
      const metric = live.metric ? ` ${live.metric.key}=${formatNumber(live.metric.value)}` : '';
      this.item.text = `$(pulse) ${name}${metric}${this.live.size > 1 ? ` (+${this.live.size - 1})` : ''}`;
      this.item.tooltip = `Cairn: ${this.live.size} run(s) in progress — click to open`;
      this.item.command = { command: 'cairn.run.open', title: 'Open Run', arguments: [live.runId] };
      return;
    }
    this.item.command = 'cairn.backend.showInfo';
    if (s.status === 'connected') {
      this.item.text = '$(database) Cairn';
      this.item.tooltip = `Cairn: connected to ${s.kind} backend ${s.url}`;
    } else if (s.status === 'connecting') {
      this.item.text = '$(sync~spin) Cairn';
      this.item.tooltip = 'Cairn: connecting to the backend…';
    } else if (s.status === 'failed') {
      this.item.text = '$(debug-disconnect) Cairn';
      this.item.tooltip = `Cairn: ${s.error}${s.retryInMs ? ` (retrying in ${Math.round(s.retryInMs / 1000)} s)` : ''}`;
    } else {
      this.item.text = '$(database) Cairn';
      this.item.tooltip = s.status === 'no-workspace' ? 'Cairn: open a folder to track runs' : 'Cairn: not connected yet';
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
