import * as vscode from 'vscode';
import type { Run } from '../../backend/api/mlflow';
import { RUN_ARTIFACTS, RUN_TAGS } from '../../backend/api/run-record';
import type { BackendConnection } from '../backend/backend-connection';
import type { Log } from '../log';
import { runName, tagOf } from '../runs/run-presentation';
import { changedBetween, showAtCommit } from './git-show';
import type { RunDocuments } from './run-documents';
import { applyPatch, parseUnifiedDiff, touchedPaths, type FilePatch } from './unified-diff';

interface RunCode {
  commit: string | undefined;
  patches: Map<string, FilePatch>;
}

/**
 * Cairn: Diff Run Code. Each side is a run's code: its commit (`mlflow.source.git.commit`) with its
 * recorded uncommitted diff (`cairn/code.diff`) applied. Opens VS Code's multi-file diff editor.
 */
export class CodeDiffService {
  private readonly cache = new Map<string, Promise<RunCode>>();

  constructor(
    private readonly backend: BackendConnection,
    private readonly docs: RunDocuments,
    private readonly log: Log,
  ) {
    docs.codeText = (runId, file, side) => this.text(runId, file, side);
  }

  private get workspace(): string {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error('open the workspace the runs came from: the code is read from its git history');
    return folder.uri.fsPath;
  }

  async open(a: Run, b?: Run): Promise<{ title: string; files: string[] }> {
    const [ca, cb] = await Promise.all([this.code(a), b ? this.code(b) : undefined]);
    const files = new Set<string>([...ca.patches.keys()]);
    if (b && cb) {
      for (const f of cb.patches.keys()) files.add(f);
      if (ca.commit && cb.commit) for (const f of await changedBetween(this.workspace, ca.commit, cb.commit)) files.add(f);
    }
    const sorted = [...files].sort();
    const title = b ? `Code: ${runName(a)} ↔ ${runName(b)}` : `Code: ${runName(a)} (uncommitted changes over ${ca.commit?.slice(0, 8) ?? 'its commit'})`;
    if (sorted.length === 0) {
      void vscode.window.showInformationMessage(b ? 'Cairn: the two runs ran the same code.' : 'Cairn: this run had no uncommitted changes.');
      return { title, files: [] };
    }
    const resources = sorted.map((f) => {
      const left = b ? this.docs.codeUri(a.info.run_id, f, 'run') : this.docs.codeUri(a.info.run_id, f, 'base');
      const right = b ? this.docs.codeUri(b.info.run_id, f, 'run') : this.docs.codeUri(a.info.run_id, f, 'run');
      return [right, left, right] as [vscode.Uri, vscode.Uri, vscode.Uri];
    });
    this.log.info('diff', `${title}: ${sorted.length} file(s)`);
    await vscode.commands.executeCommand('vscode.changes', title, resources);
    return { title, files: sorted };
  }

  private code(run: Run): Promise<RunCode> {
    const id = run.info.run_id;
    let p = this.cache.get(id);
    if (!p) {
      p = (async () => {
        const client = await this.backend.ready();
        const bytes = await client.downloadArtifact(run.info, RUN_ARTIFACTS.codeDiff);
        const patches = bytes ? parseUnifiedDiff(new TextDecoder().decode(bytes)).filter((x) => !x.binary) : [];
        return { commit: tagOf(run, RUN_TAGS.gitCommit), patches: new Map(touchedPaths(patches).map((f, i) => [f, patches[i]!])) };
      })();
      p.catch(() => this.cache.delete(id));
      this.cache.set(id, p);
    }
    return p;
  }

  private async text(runId: string, file: string, side: 'base' | 'run'): Promise<string> {
    const client = await this.backend.ready();
    const code = await this.code(await client.getRun(runId));
    const base = code.commit ? await showAtCommit(this.workspace, code.commit, file) : undefined;
    const patch = code.patches.get(file);
    if (side === 'base' || !patch) return base ?? '';
    try {
      return applyPatch(patch.oldPath === undefined ? undefined : base, patch) ?? '';
    } catch (err) {
      this.log.warn('diff', `${file}: ${(err as Error).message}`);
      return `${base ?? ''}\n\n# Cairn: the recorded diff did not apply cleanly to ${code.commit?.slice(0, 8)}:\n# ${(err as Error).message}\n`;
    }
  }
}
