import * as path from 'node:path';
import * as vscode from 'vscode';
import { CairnClient } from '../../backend/client/cairn-client';
import { discoverBackend } from '../../backend/client/discovery';
import { settings } from '../config';
import { setContext } from '../context-keys';
import type { Log } from '../log';
import { backoffMs, type BackendState, type BackendTarget } from './backend-target';
import type { RemoteCredentials } from './remote-credentials';

const HEALTH_INTERVAL_MS = 5000;

/**
 * The backend's lifecycle: connects lazily (the first time something needs it), discovers or
 * starts the workspace's local server exactly as `cairn run` does (with VS Code's own Node),
 * watches its health and restarts it with backoff when it dies. Local and remote backends are the
 * same typed client.
 */
export class BackendConnection implements vscode.Disposable {
  private readonly stateEmitter = new vscode.EventEmitter<BackendState>();
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly clientEmitter = new vscode.EventEmitter<CairnClient | undefined>();
  /** Fires when a (new) client is connected, or undefined when disconnected. */
  readonly onDidChangeClient = this.clientEmitter.event;
  private current: { client: CairnClient; target: BackendTarget; token: string | undefined } | undefined;
  private pending: Promise<CairnClient> | undefined;
  private health: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private attempt = 0;
  private disposed = false;
  private stateValue: BackendState = { status: 'idle' };

  constructor(
    private readonly extensionPath: string,
    private readonly credentials: RemoteCredentials,
    private readonly log: Log,
  ) {}

  get state(): BackendState {
    return this.stateValue;
  }

  get client(): CairnClient | undefined {
    return this.current?.client;
  }

  get target(): BackendTarget | undefined {
    return this.current?.target;
  }

  /** The token of the connected backend (for terminals running `cairn run`, and the dashboard link). */
  get token(): string | undefined {
    return this.current?.token;
  }

  /** The path of the bundled CLI (`cairn run`, `cairn server`). */
  get cliPath(): string {
    return path.join(this.extensionPath, 'dist', 'cli.js');
  }

  /** The connected client, connecting first if needed. */
  ready(): Promise<CairnClient> {
    if (this.current) return Promise.resolve(this.current.client);
    this.pending ??= this.connect().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Drops the connection and connects again (after a settings change or on request). */
  async reconnect(): Promise<CairnClient> {
    this.disconnect();
    this.attempt = 0;
    return this.ready();
  }

  private async connect(): Promise<CairnClient> {
    const target = await this.resolveTarget();
    if (!target) {
      this.setState({ status: 'no-workspace' });
      throw new Error('open a folder first: the local backend keeps its store in <workspace>/.cairn');
    }
    this.setState({ status: 'connecting', attempt: this.attempt });
    const started = Date.now();
    try {
      let client: CairnClient;
      let source: string;
      let token: string | undefined;
      if (target.kind === 'remote') {
        token = target.token;
        client = new CairnClient({ url: target.url, token });
        await client.info();
        source = 'remote';
      } else {
        const loc = await discoverBackend({
          workspace: target.workspace,
          nodePath: process.execPath,
          cliPath: this.cliPath,
          env: { ELECTRON_RUN_AS_NODE: '1' },
          log: (m) => this.log.info('backend', m),
        });
        token = loc.token;
        client = new CairnClient({ url: loc.url, token });
        source = loc.source;
      }
      if (this.disposed) throw new Error('disposed');
      this.current = { client, target, token };
      this.attempt = 0;
      this.log.info('backend', `connected to ${client.url} (${source}) in ${Date.now() - started} ms`);
      this.setState({ status: 'connected', url: client.url, kind: target.kind, source });
      this.clientEmitter.fire(client);
      this.watchHealth(client);
      return client;
    } catch (err) {
      const msg = (err as Error).message;
      this.log.error('backend', `cannot connect (${target.kind === 'remote' ? target.url : target.workspace})`, err);
      this.scheduleRetry(msg);
      throw err;
    }
  }

  private async resolveTarget(): Promise<BackendTarget | undefined> {
    const url = settings.backendUrl();
    if (url) return { kind: 'remote', url, token: await this.credentials.get(url) };
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? { kind: 'local', workspace: folder.uri.fsPath } : undefined;
  }

  private watchHealth(client: CairnClient): void {
    clearInterval(this.health);
    let failures = 0;
    this.health = setInterval(() => {
      client.health().then(
        () => (failures = 0),
        (err) => {
          if (++failures < 2 || this.current?.client !== client) return;
          this.log.warn('backend', `the backend at ${client.url} stopped answering (${(err as Error).message}); reconnecting`);
          this.disconnect();
          this.scheduleRetry('the backend stopped answering');
        },
      );
    }, HEALTH_INTERVAL_MS);
  }

  private scheduleRetry(error: string): void {
    if (this.disposed) return;
    const delay = backoffMs(++this.attempt);
    this.setState({ status: 'failed', error, retryInMs: delay });
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      if (!this.current && !this.pending) this.ready().catch(() => undefined);
    }, delay);
  }

  private disconnect(): void {
    clearInterval(this.health);
    clearTimeout(this.retry);
    if (this.current) {
      this.current = undefined;
      this.clientEmitter.fire(undefined);
    }
  }

  private setState(s: BackendState): void {
    this.stateValue = s;
    setContext('cairn.backendState', s.status);
    this.stateEmitter.fire(s);
  }

  dispose(): void {
    this.disposed = true;
    this.disconnect();
    this.stateEmitter.dispose();
    this.clientEmitter.dispose();
  }
}
