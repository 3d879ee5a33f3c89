import * as vscode from 'vscode';

export type LogTag = 'activate' | 'backend' | 'events' | 'tree' | 'codelens' | 'command' | 'webview' | 'diff' | 'track' | 'status';

/** The one "Cairn" LogOutputChannel; every line carries a component tag. */
export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel('Cairn', { log: true });
  }

  info(tag: LogTag, msg: string): void {
    this.channel.info(`[${tag}] ${msg}`);
  }

  warn(tag: LogTag, msg: string): void {
    this.channel.warn(`[${tag}] ${msg}`);
  }

  error(tag: LogTag, msg: string, err?: unknown): void {
    this.channel.error(`[${tag}] ${msg}${err ? `: ${(err as Error)?.stack ?? String(err)}` : ''}`);
  }

  debug(tag: LogTag, msg: string): void {
    this.channel.debug(`[${tag}] ${msg}`);
  }

  /** A user-facing error that points to the log. */
  async showError(msg: string, ...extra: string[]): Promise<string | undefined> {
    const choice = await vscode.window.showErrorMessage(`Cairn: ${msg}`, ...extra, 'Open Output');
    if (choice === 'Open Output') this.channel.show(true);
    return choice;
  }

  dispose(): void {
    this.channel.dispose();
  }
}
