import * as path from 'node:path';
import * as vscode from 'vscode';
import { interpreterFor, languageOfPath } from '../codelens/training-detector';
import { settings } from '../config';
import type { BackendConnection } from '../backend/backend-connection';
import type { Log } from '../log';
import { cairnRunArgv } from './run-command-line';

/**
 * Starts `cairn run` for a script in a VS Code terminal (the user sees its output), pointed at the
 * backend the extension is connected to, so the new run shows up in the views at once.
 */
export class TrackLauncher {
  constructor(
    private readonly backend: BackendConnection,
    private readonly log: Log,
  ) {}

  async track(script: vscode.Uri, params: { key: string; value: string }[]): Promise<vscode.Terminal> {
    const language = languageOfPath(script.fsPath);
    if (!language) throw new Error(`${path.basename(script.fsPath)} is not a Python, JavaScript or TypeScript file`);
    const client = await this.backend.ready();
    const folder = vscode.workspace.getWorkspaceFolder(script) ?? vscode.workspace.workspaceFolders?.[0];
    const cwd = folder?.uri.fsPath ?? path.dirname(script.fsPath);
    const rel = path.relative(cwd, script.fsPath);
    const { file, args } = cairnRunArgv({
      nodePath: process.execPath,
      cliPath: settings.cliPath() || this.backend.cliPath,
      experiment: settings.experiment() || undefined,
      params,
      command: [...interpreterFor(language, settings.pythonCommand()), rel.startsWith('..') ? script.fsPath : rel],
    });
    const env: Record<string, string> = { ELECTRON_RUN_AS_NODE: '1', CAIRN_TRACKING_URI: client.url };
    if (this.backend.token) env['CAIRN_TOKEN'] = this.backend.token;
    this.log.info('track', `${file} ${args.join(' ')} (cwd ${cwd})`);
    const terminal = vscode.window.createTerminal({
      name: `Cairn: ${path.basename(script.fsPath)}`,
      cwd,
      shellPath: file,
      shellArgs: args,
      env,
      iconPath: new vscode.ThemeIcon('play-circle'),
    });
    terminal.show(true);
    return terminal;
  }
}
