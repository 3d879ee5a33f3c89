import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import { CairnClient } from '../../backend/client/cairn-client';
import { discoverBackend, findWorkspaceRoot } from '../../backend/client/discovery';
import { CLI } from '../helpers/server-process';
import { tmpDir } from '../helpers/tmp';

const ws = tmpDir();

it('finds the workspace root by .cairn or .git', () => {
  fs.mkdirSync(path.join(ws, '.git'));
  fs.mkdirSync(path.join(ws, 'src', 'deep'), { recursive: true });
  assert.equal(findWorkspaceRoot(path.join(ws, 'src', 'deep')), ws);
});

it('starts a server for the workspace once, then finds it running; env overrides both', async () => {
  const first = await discoverBackend({ workspace: ws, cliPath: CLI }, {});
  assert.equal(first.source, 'started');
  const second = await discoverBackend({ workspace: ws, cliPath: CLI }, {});
  assert.equal(second.source, 'running');
  assert.equal(second.url, first.url);
  const client = new CairnClient({ url: second.url, token: second.token });
  assert.equal((await client.info()).store, path.join(ws, '.cairn'));
  const viaEnv = await discoverBackend({ workspace: ws }, { CAIRN_TRACKING_URI: 'http://127.0.0.1:1/', CAIRN_TOKEN: 't' });
  assert.deepEqual(viaEnv, { url: 'http://127.0.0.1:1', token: 't', source: 'env' });
  const pid = (await client.info()).pid;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
      await new Promise((r) => setTimeout(r, 50));
    } catch {
      break;
    }
  }
  await assert.rejects(discoverBackend({ workspace: ws, start: false }, {}), /no Cairn server is running/);
});
