import * as vscode from 'vscode';
import type { CairnServices } from './command';
import { ALL_COMMANDS } from './all-commands';

/** Registers every command through one wrapper: timing in the log, errors shown with "Open Output". */
export function registerCommands(s: CairnServices): vscode.Disposable[] {
  return ALL_COMMANDS.map((cmd) =>
    vscode.commands.registerCommand(cmd.id, async (...args: unknown[]) => {
      const started = Date.now();
      try {
        const result = await cmd.run(s, ...args);
        s.log.debug('command', `${cmd.id} done in ${Date.now() - started} ms`);
        return result;
      } catch (err) {
        s.log.error('command', `${cmd.id} failed`, err);
        void s.log.showError(`${cmd.id.replace(/^cairn\./, '')}: ${(err as Error).message}`);
        // Not rethrown: VS Code would show a second notification for a rejected menu command.
        return undefined;
      }
    }),
  );
}
