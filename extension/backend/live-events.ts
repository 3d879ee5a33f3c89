import * as vscode from 'vscode';
import type { DeliveredEvent } from '../../backend/api/cairn';
import type { CairnClient } from '../../backend/client/cairn-client';
import { EventStream } from '../../backend/client/event-stream';
import type { Log } from '../log';
import type { BackendConnection } from './backend-connection';

/**
 * THE one SSE subscription of the extension: follows the current client, and fans events out to
 * the tree, the status bar and the open panels.
 */
export class LiveEvents implements vscode.Disposable {
  private readonly eventEmitter = new vscode.EventEmitter<DeliveredEvent>();
  readonly onEvent = this.eventEmitter.event;
  private readonly resyncEmitter = new vscode.EventEmitter<void>();
  /** Events were missed: listeners reload what they show. */
  readonly onResync = this.resyncEmitter.event;
  private stream: EventStream | undefined;
  private readonly sub: vscode.Disposable;

  constructor(
    backend: BackendConnection,
    private readonly log: Log,
  ) {
    this.sub = backend.onDidChangeClient((c) => this.follow(c));
    if (backend.client) this.follow(backend.client);
  }

  private follow(client: CairnClient | undefined): void {
    this.stream?.stop();
    this.stream = undefined;
    if (!client) return;
    let wasOpen = false;
    this.stream = new EventStream(client, {
      onEvent: (e) => this.eventEmitter.fire(e),
      onResync: () => this.resyncEmitter.fire(),
      onState: (state, err) => {
        if (state === 'open') {
          this.log.info('events', `subscribed to ${client.url}/api/cairn/v1/events`);
          // A reconnect may have missed events older than the server's buffer: reload.
          if (wasOpen) this.resyncEmitter.fire();
          wasOpen = true;
        } else if (err) this.log.debug('events', `reconnecting: ${err.message}`);
      },
    }).start();
  }

  dispose(): void {
    this.stream?.stop();
    this.sub.dispose();
    this.eventEmitter.dispose();
    this.resyncEmitter.dispose();
  }
}
