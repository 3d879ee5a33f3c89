import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('cairn.backend.showInfo', () => {
      void vscode.window.showInformationMessage('Cairn: the extension is active.');
    }),
  );
}

export function deactivate(): void {}
