import type * as vscode from 'vscode';

/** Tokens of remote backends, per URL, in VS Code's SecretStorage (never in settings). */
export class RemoteCredentials {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  private key(url: string): string {
    return `cairn.remoteToken:${url.replace(/\/+$/, '')}`;
  }

  get(url: string): Thenable<string | undefined> {
    return this.secrets.get(this.key(url));
  }

  async set(url: string, token: string | undefined): Promise<void> {
    if (token) await this.secrets.store(this.key(url), token);
    else await this.secrets.delete(this.key(url));
  }
}
