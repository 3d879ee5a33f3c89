import * as path from 'node:path';
import { CairnClient } from '../client/cairn-client';
import { discoverBackend } from '../client/discovery';
import { ObjectClient } from '../client/object-client';
import { openWorkspace, type DataWorkspace } from '../data/workspace';

/** The data workspace of the current directory. */
export const currentWorkspace = (): Promise<DataWorkspace> => openWorkspace(process.cwd());

/** The root whose `.cairn` is the workspace's store (the main worktree, for linked worktrees). */
export const storeOwner = (ws: DataWorkspace): string => (path.basename(ws.storeDir) === '.cairn' ? path.dirname(ws.storeDir) : ws.root);

/**
 * The backend to push to / pull from: `--remote URL` (token from `--token` or $CAIRN_REMOTE_TOKEN),
 * else the one `cairn run` would use ($CAIRN_TRACKING_URI, else the workspace's local server, started
 * if needed).
 */
export async function remoteFor(ws: DataWorkspace, remote: string | undefined, token: string | undefined): Promise<ObjectClient> {
  if (remote) return new ObjectClient(new CairnClient({ url: remote, token: token ?? process.env['CAIRN_REMOTE_TOKEN'] }));
  const found = await discoverBackend({ workspace: storeOwner(ws), log: (m) => process.stderr.write(`[cairn] ${m}\n`) });
  return new ObjectClient(new CairnClient({ url: found.url, token: found.token }));
}

/** The workspace's own local server (never a remote one): what its artifacts and runs reference. */
export async function localBackend(ws: DataWorkspace): Promise<CairnClient> {
  const env = { ...process.env };
  delete env['CAIRN_TRACKING_URI'];
  const found = await discoverBackend({ workspace: storeOwner(ws), log: (m) => process.stderr.write(`[cairn] ${m}\n`) }, env);
  return new CairnClient({ url: found.url, token: found.token });
}

export const printJson = (v: unknown): void => void process.stdout.write(JSON.stringify(v, null, 2) + '\n');
export const say = (line: string): void => void process.stdout.write(line + '\n');
