import { CairnClient } from '../client/cairn-client';
import { discoverBackend, findWorkspaceRoot } from '../client/discovery';
import { ServingClient } from '../client/serving-client';

/** The workspace's backend (CAIRN_TRACKING_URI, the running local server, or one started now). */
export async function connect(): Promise<ServingClient> {
  const loc = await discoverBackend({ workspace: findWorkspaceRoot(process.cwd()), log: (m) => process.stderr.write(`[cairn] ${m}\n`) });
  return new ServingClient(new CairnClient({ url: loc.url, token: loc.token, timeoutMs: 120_000 }));
}
