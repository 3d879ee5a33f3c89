import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RUN_ARTIFACTS } from '../../backend/api/run-record';
import { Spool } from '../../backend/launcher/spool';
import { cairnRun, PYTHON, runIdOf } from '../helpers/cairn-run';
import { ROOT, startServerProcess } from '../helpers/server-process';
import { tmpDir } from '../helpers/tmp';

const dir = tmpDir();

/**
 * A script in three phases of 20 metric lines; between phases it waits for a flag file, so the
 * test can take the backend down and bring it back at known points. It writes an output file in
 * the middle phase (while the backend is down).
 */
const PHASED = `
import os, sys, time
def wait(flag):
    print("WAITING " + flag, flush=True)
    while not os.path.exists(flag): time.sleep(0.02)
for phase in range(3):
    for i in range(phase * 20, phase * 20 + 20):
        print(f"step={i} loss={1 / (i + 1):.6f}")
    if phase == 1:
        os.makedirs("out", exist_ok=True)
        open("out/written-while-down.txt", "w").write("hello")
    if phase < 2: wait(f"flag{phase}")
print("DONE")
`;

function setup(name: string): { ws: string; flag: (n: number) => void; spools: () => string[] } {
  const ws = path.join(dir, name);
  fs.mkdirSync(path.join(ws, '.cairn'), { recursive: true });
  fs.writeFileSync(path.join(ws, 'phased.py'), PHASED);
  return {
    ws,
    flag: (n) => fs.writeFileSync(path.join(ws, `flag${n}`), ''),
    spools: () => Spool.list(path.join(ws, '.cairn', 'spool')),
  };
}

async function until(cond: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const steps = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('cairn run when the backend goes away', () => {
  it('keeps running through a backend restart, buffers to disk and delivers everything', async () => {
    const { ws, flag, spools } = setup('restart');
    const store = path.join(ws, '.cairn');
    let server = await startServerProcess(store);
    // No CAIRN_TRACKING_URI: the launcher finds the workspace's server through .cairn/server.json.
    const r = cairnRun(['--watch', 'out', '--', PYTHON, 'phased.py', '--lr', '0.1'], { cwd: ws, env: { CAIRN_TRACKING_URI: undefined, CAIRN_TOKEN: undefined } });
    await r.waitFor('WAITING flag0');
    const runId = runIdOf(r.stderr());
    await server.kill(); // kill -9, mid-run
    flag(0);
    await r.waitFor('WAITING flag1');
    // The second phase's metrics could not be sent: they are on disk now.
    await until(() => spools().some((d) => fs.existsSync(path.join(d, 'ops.jsonl'))), 'the spool to be written', 10_000);
    assert.match(r.stderr(), /backend unreachable/);
    assert.equal(r.proc.exitCode, null, 'the command keeps running while the backend is down');
    server = await startServerProcess(store); // same store: same port and token
    flag(1);
    const res = await r.done;
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /DONE\n$/);
    assert.match(res.stderr, /backend reachable again/);

    const run = await server.client.getRun(runId);
    assert.equal(run.info.status, 'FINISHED', res.stderr);
    assert.deepEqual(run.data.params, [{ key: 'lr', value: '0.1' }]);
    const loss = await server.client.metricHistory(runId, 'loss');
    assert.deepEqual(loss.map((m) => m.step).sort((a, b) => a - b), steps(60), 'every metric line arrived exactly once');
    assert.equal(loss.find((m) => m.step === 30)!.value, 0.032258);
    const log = Buffer.from(await server.client.getArtifact(run.info, RUN_ARTIFACTS.log)).toString();
    assert.ok(log.includes('step=59 loss=') && log.endsWith('DONE\n'));
    assert.equal(Buffer.from(await server.client.getArtifact(run.info, 'outputs/out/written-while-down.txt')).toString(), 'hello');
    assert.deepEqual(spools(), [], 'the spool is gone once delivered');
    await server.stop();
  });

  it('leaves what it could not deliver on disk, and the next cairn run delivers it', async () => {
    const { ws, flag, spools } = setup('leftover');
    let server = await startServerProcess(path.join(dir, 'leftover-store'));
    // A remote-style backend (CAIRN_TRACKING_URI): nobody restarts it for us.
    const env = { CAIRN_TRACKING_URI: server.url, CAIRN_TOKEN: server.token };
    const r = cairnRun(['--', PYTHON, 'phased.py'], { cwd: ws, env });
    await r.waitFor('WAITING flag0');
    const runId = runIdOf(r.stderr());
    await server.kill();
    flag(0);
    await r.waitFor('WAITING flag1');
    flag(1);
    const res = await r.done;
    assert.equal(res.code, 0, 'the command succeeded; the record is only delayed');
    assert.match(res.stderr, /will be delivered by the next 'cairn run'/);
    assert.equal(spools().length, 1);

    server = await startServerProcess(path.join(dir, 'leftover-store'));
    assert.equal(server.url, env.CAIRN_TRACKING_URI, 'the restarted server took its old port');
    assert.equal((await server.client.getRun(runId)).info.status, 'RUNNING', 'the end of the run is still on disk');
    const next = await cairnRun(['--', process.execPath, '-e', '0'], { cwd: ws, env }).done;
    assert.equal(next.code, 0, next.stderr);
    assert.match(next.stderr, /delivered \d+ buffered write\(s\) left by 1 earlier run/);
    const run = await server.client.getRun(runId);
    assert.equal(run.info.status, 'FINISHED');
    assert.deepEqual((await server.client.metricHistory(runId, 'loss')).map((m) => m.step).sort((a, b) => a - b), steps(60));
    assert.ok(Buffer.from(await server.client.getArtifact(run.info, RUN_ARTIFACTS.log)).toString().endsWith('DONE\n'));
    assert.deepEqual(spools(), []);
    await server.stop();
  });

  it("Python SDK: buffers in the same spool format while the backend is down; the next cairn run delivers it", async () => {
    const { ws, flag, spools } = setup('sdk-spool');
    const storeDir = path.join(dir, 'sdk-store');
    let server = await startServerProcess(storeDir);
    const env = { CAIRN_TRACKING_URI: server.url, CAIRN_TOKEN: server.token };
    fs.writeFileSync(
      path.join(ws, 'sdk.py'),
      `import os, sys, time\nsys.path.insert(0, ${JSON.stringify(path.join(ROOT, 'sdk/python'))})\nimport cairn\ncairn.start_run(experiment="sdk-spool")\nfor i in range(10): cairn.log_metric("loss", i, step=i)\ncairn.flush()\nprint("RUN", cairn.active_run_id(), flush=True)\nwhile not os.path.exists("flag0"): time.sleep(0.02)\nfor i in range(10, 1510): cairn.log_metric("loss", i, step=i)\nopen("notes.txt", "w").write("written while down")\ncairn.log_artifact("notes.txt")\ncairn.set_tag("phase", "down")\n`,
    );
    const { spawn } = await import('node:child_process');
    const child = spawn(PYTHON, ['sdk.py'], { cwd: ws, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    await until(() => out.includes('RUN '), 'the SDK run to start');
    const runId = /RUN (\w+)/.exec(out)![1]!;
    await server.kill();
    flag(0);
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    assert.equal(code, 0, err);
    assert.match(err, /backend unreachable: \d+ write\(s\) kept in/);
    assert.equal(spools().length, 1);

    server = await startServerProcess(storeDir);
    const next = await cairnRun(['--', process.execPath, '-e', '0'], { cwd: ws, env }).done;
    assert.match(next.stderr, /delivered \d+ buffered write\(s\) left by 1 earlier run/);
    const run = await server.client.getRun(runId);
    assert.equal(run.info.status, 'FINISHED', 'the SDK ended its run; the end was buffered too');
    assert.equal(run.data.tags.find((t) => t.key === 'phase')?.value, 'down');
    assert.deepEqual((await server.client.metricHistory(runId, 'loss')).map((m) => m.step), steps(1510));
    assert.equal(Buffer.from(await server.client.getArtifact(run.info, 'notes.txt')).toString(), 'written while down');
    assert.deepEqual(spools(), []);
    await server.stop();
  });
});
