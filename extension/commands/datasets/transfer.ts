import * as vscode from 'vscode';
import type { RemoteSpec } from '../../datasets/dataset-service';
import type { CairnCommand, CairnServices } from '../command';
import { datasetPathsFromArgs, withDataProgress } from './dataset-args';

/** `{paths?, remote?}` from a test or another command; tree nodes; nothing (everything tracked). */
function transferArgs(s: CairnServices, args: unknown[]): { paths: string[]; remote?: RemoteSpec } {
  const first = args[0] as { remote?: RemoteSpec } | undefined;
  const remote = first && typeof first === 'object' && first.remote && typeof first.remote.url === 'string' ? first.remote : undefined;
  return { paths: datasetPathsFromArgs(args, s.datasets.requireService().folder), remote };
}

const target = (remote: RemoteSpec | undefined, s: CairnServices) => remote?.url ?? s.backend.client?.url ?? 'the backend';

/** Push Datasets: uploads what the backend lacks (resumable), registering the versions there. Cancellable. */
export const pushDatasets: CairnCommand = {
  id: 'cairn.datasets.push',
  async run(s, ...args) {
    const service = s.datasets.requireService();
    const { paths, remote } = transferArgs(s, args);
    const r = await withDataProgress(`Cairn: pushing ${paths.length ? paths.join(', ') : 'all datasets'}`, true, (onProgress, signal) => service.push({ paths, remote, onProgress, signal }));
    void vscode.window.showInformationMessage(`Cairn: pushed ${r.uploaded} object(s) to ${target(remote, s)} (${r.alreadyThere} of ${r.objects} already there); ${r.datasets} dataset version(s) registered.`);
    return r;
  },
};

/** Pull Datasets: fetches what the local store lacks (resumable) and checks the data out. Cancellable. */
export const pullDatasets: CairnCommand = {
  id: 'cairn.datasets.pull',
  async run(s, ...args) {
    const service = s.datasets.requireService();
    const { paths, remote } = transferArgs(s, args);
    const r = await withDataProgress(`Cairn: pulling ${paths.length ? paths.join(', ') : 'all datasets'}`, true, (onProgress, signal) => service.pull({ paths, remote, onProgress, signal }));
    s.datasets.tree.refresh();
    void vscode.window.showInformationMessage(`Cairn: pulled ${r.downloaded} object(s) from ${target(remote, s)} (${r.alreadyLocal} of ${r.objects} already local).`);
    return r;
  },
};
