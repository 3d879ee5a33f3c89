import type { DataDiffReport } from '../../../backend/api/data';
import type { CairnCommand, CairnServices } from '../command';
import { nodesFromArgs, pickDataset, pickVersions, versionNodes } from './dataset-args';

interface DiffArgs {
  path: string;
  a: string;
  /** Absent: the data on disk. */
  b?: string;
}

/**
 * Diff Versions: two versions of a dataset (two version nodes, older first), a version against the
 * data on disk (one version node; a dataset node: HEAD against disk), `{path, a, b}`, or quick
 * picks. Opens the Dataset Diff panel and returns the report.
 */
export const diffDatasetVersions: CairnCommand = {
  id: 'cairn.datasets.diff',
  async run(s, ...args) {
    const req = await diffRequest(s, args);
    if (!req) return undefined;
    const report: DataDiffReport = await s.datasets.requireService().diff(req.path, req.a, req.b);
    const panel = await s.panels.openDatasetDiff(report);
    return { report, panel };
  },
};

async function diffRequest(s: CairnServices, args: unknown[]): Promise<DiffArgs | undefined> {
  const versions = versionNodes(args);
  if (versions.length >= 2) {
    const [x, y] = [...versions.slice(0, 2)].sort((p, q) => p.version.time - q.version.time);
    return { path: x!.path, a: x!.version.commit, b: y!.version.commit };
  }
  if (versions.length === 1) return { path: versions[0]!.path, a: versions[0]!.version.commit };
  const [node] = nodesFromArgs(args);
  if (node?.kind === 'dataset') return { path: node.entry.path, a: 'HEAD' };
  const first = args[0] as Partial<DiffArgs> | undefined;
  if (first && typeof first === 'object' && typeof first.path === 'string' && typeof first.a === 'string') return { path: first.path, a: first.a, b: first.b };
  const path = await pickDataset(s, 'Cairn: Diff Dataset Versions — dataset');
  if (!path) return undefined;
  const picked = await pickVersions(s.datasets.requireService(), path, { title: `Cairn: pick two versions of ${path} (one: against the data on disk)`, many: true });
  if (!picked?.length) return undefined;
  const [x, y] = [...picked.slice(0, 2)].sort((p, q) => p.time - q.time);
  return { path, a: x!.commit, b: y?.commit };
}
