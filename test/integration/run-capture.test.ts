import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type { DeliveredEvent } from '../../backend/api/cairn';
import type { Run } from '../../backend/api/mlflow';
import { RUN_ARTIFACTS, RUN_TAGS, type EnvironmentFingerprint, type ModelCandidate } from '../../backend/api/run-record';
import { cairnRun, PYTHON, runIdOf } from '../helpers/cairn-run';
import { git, initRepo, treeOf, writeFiles } from '../helpers/git-repo';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { tmpDir } from '../helpers/tmp';

const dir = tmpDir();
let server: ServerProcess;
let env: Record<string, string>;

const tag = (run: Run, key: string) => run.data.tags.find((t) => t.key === key)?.value;
const param = (run: Run, key: string) => run.data.params.find((p) => p.key === key)?.value;
const history = async (runId: string, key: string) => (await server.client.metricHistory(runId, key)).map((m) => [m.step, m.value]);

async function allArtifacts(run: Run, dirPath = ''): Promise<string[]> {
  const out: string[] = [];
  for (const f of await server.client.listArtifactDir(run.info, dirPath)) {
    const p = dirPath ? `${dirPath}/${f.path}` : f.path;
    if (f.is_dir) out.push(...(await allArtifacts(run, p)));
    else out.push(p);
  }
  return out.sort();
}

const TRAIN_PY = `
import json, os, sys, time
print("argv", sys.argv[1:])
print("env", os.environ["MLFLOW_RUN_ID"] == os.environ["CAIRN_RUN_ID"], os.environ["MLFLOW_TRACKING_URI"] == os.environ["CAIRN_TRACKING_URI"], "MLFLOW_TRACKING_TOKEN" in os.environ)
for epoch in range(3):
    print(f"epoch={epoch} loss={1 / (epoch + 1):.4f} acc={0.5 + epoch / 10}")
    time.sleep(0.5)
print("Epoch 7/10")
print("32/32 [==============================] - 0s 2ms/step - loss: 0.2100 - val_acc: 0.9300")
print(json.dumps({"step": 100, "eval": {"f1": 0.75}}), file=sys.stderr)
print("ünïcödé and a partial line without newline", end="")
os.makedirs("out", exist_ok=True)
open("out/model.joblib", "wb").write(b"model bytes")
open("out/report.txt", "w").write("report")
os.makedirs("out/tfjs", exist_ok=True)
json.dump({"modelTopology": {}, "weightsManifest": []}, open("out/tfjs/model.json", "w"))
`;

describe('cairn run captures a Python script', () => {
  const ws = path.join(dir, 'py');
  let run: Run;
  let result: Awaited<ReturnType<typeof cairnRun>['done']>;
  let commit: string;

  before(async () => {
    server = await startServerProcess(path.join(dir, 'store'));
    env = { CAIRN_TRACKING_URI: server.url, CAIRN_TOKEN: server.token };
    commit = initRepo(ws, { 'train.py': 'print("old")\n', 'params.yaml': 'lr: 0.5\nbatch: 64\nmodel:\n  depth: 3\n', 'lib/util.py': 'X = 1\n', '.gitignore': 'out/\n' });
    writeFiles(ws, { 'train.py': TRAIN_PY, 'lib/new_helper.py': 'Y = 2\n' });
    const r = cairnRun(['--experiment', 'capture', '--name', 'py-run', '--param', 'note=hello', '--watch', 'out', '--', PYTHON, 'train.py', '--lr', '0.01', '--epochs=5', 'seed=3', '--verbose'], { cwd: ws, env });
    result = await r.done;
    run = await server.client.getRun(runIdOf(result.stderr));
  });

  it('finishes with exit code 0, and the output reaches the terminal unchanged', () => {
    assert.equal(result.code, 0, result.stderr);
    assert.equal(run.info.status, 'FINISHED');
    assert.equal(run.info.run_name, 'py-run');
    assert.ok(run.info.end_time && run.info.end_time >= run.info.start_time);
    assert.match(result.stdout, /^argv \['--lr', '0.01', '--epochs=5', 'seed=3', '--verbose'\]\nenv True True True\nepoch=0 loss=1.0000 acc=0.5\n/);
    assert.ok(result.stdout.endsWith('ünïcödé and a partial line without newline'));
    assert.match(result.stderr, /\{"step": 100, "eval": \{"f1": 0.75\}\}\n/);
  });

  it('records params from the command line, params.yaml and --param', () => {
    assert.deepEqual(
      Object.fromEntries(run.data.params.map((p) => [p.key, p.value])),
      { lr: '0.01', epochs: '5', seed: '3', verbose: 'true', batch: '64', 'model.depth': '3', note: 'hello' },
    );
    assert.equal(param(run, 'lr'), '0.01', 'the command line wins over params.yaml');
  });

  it('parses metrics with their steps from stdout and stderr', async () => {
    assert.deepEqual(await history(run.info.run_id, 'loss'), [
      [0, 1],
      [1, 0.5],
      [2, 0.3333],
      [7, 0.21],
    ]);
    assert.deepEqual(await history(run.info.run_id, 'acc'), [
      [0, 0.5],
      [1, 0.6],
      [2, 0.7],
    ]);
    assert.deepEqual(await history(run.info.run_id, 'val_acc'), [[7, 0.93]]);
    assert.deepEqual(await history(run.info.run_id, 'eval/f1'), [[100, 0.75]]);
    assert.deepEqual(await history(run.info.run_id, 'epoch'), [], 'step keys are steps, not metrics');
  });

  it('samples system metrics of the process tree', async () => {
    const rss = await history(run.info.run_id, 'system/rss_mb');
    const cpu = await history(run.info.run_id, 'system/cpu_percent');
    const detail = JSON.stringify({ rss, cpu, stderr: result.stderr });
    assert.ok(rss.length >= 1, `at least one system sample during a 1.5 s run (interval 0.3 s): ${detail}`);
    assert.ok(rss.every(([, v]) => v! > 1), detail);
    assert.ok(cpu.length >= 1, detail);
  });

  it('records command, cwd, git state, host and launcher tags', () => {
    assert.equal(tag(run, RUN_TAGS.command), JSON.stringify([PYTHON, 'train.py', '--lr', '0.01', '--epochs=5', 'seed=3', '--verbose']));
    assert.equal(tag(run, RUN_TAGS.cwd), '.');
    assert.equal(tag(run, RUN_TAGS.workspace), fs.realpathSync(ws));
    assert.equal(tag(run, RUN_TAGS.gitCommit), commit);
    assert.equal(tag(run, RUN_TAGS.gitBranch), 'main');
    assert.equal(tag(run, RUN_TAGS.gitDirty), 'true');
    assert.equal(tag(run, RUN_TAGS.gitSubdir), '.');
    assert.equal(tag(run, RUN_TAGS.sourceName), 'train.py');
    assert.equal(tag(run, RUN_TAGS.launcher), 'cairn-run');
    assert.equal(tag(run, RUN_TAGS.exitCode), '0');
    assert.ok(tag(run, RUN_TAGS.user));
    assert.ok(tag(run, RUN_TAGS.host));
  });

  it('stores the log, environment, pip freeze, code diff and outputs as artifacts, and tags model files', async () => {
    assert.deepEqual(await allArtifacts(run), [
      RUN_ARTIFACTS.codeDiff,
      RUN_ARTIFACTS.environment,
      RUN_ARTIFACTS.log,
      RUN_ARTIFACTS.pipFreeze,
      'outputs/out/model.joblib',
      'outputs/out/report.txt',
      'outputs/out/tfjs/model.json',
    ]);
    const log = Buffer.from(await server.client.getArtifact(run.info, RUN_ARTIFACTS.log)).toString('utf8');
    assert.ok(log.includes('epoch=2 loss=0.3333 acc=0.7\n') && log.includes('"eval": {"f1": 0.75}') && log.includes('a partial line without newline'), log);
    const envJson = JSON.parse(Buffer.from(await server.client.getArtifact(run.info, RUN_ARTIFACTS.environment)).toString()) as EnvironmentFingerprint;
    assert.match(envJson.python ?? '', /^3\.\d+\.\d+/);
    assert.ok(!JSON.stringify(envJson).includes(server.token), 'the token never lands in the fingerprint');
    const freeze = Buffer.from(await server.client.getArtifact(run.info, RUN_ARTIFACTS.pipFreeze)).toString();
    assert.match(freeze, /^[\w.-]+==\S+$/m);
    assert.equal(Buffer.from(await server.client.getArtifact(run.info, 'outputs/out/model.joblib')).toString(), 'model bytes');
    const candidates = JSON.parse(tag(run, RUN_TAGS.modelCandidates)!) as ModelCandidate[];
    assert.deepEqual(
      candidates.sort((a, b) => a.path.localeCompare(b.path)),
      [
        { path: 'outputs/out/model.joblib', flavor: 'sklearn' },
        { path: 'outputs/out/tfjs', flavor: 'tfjs' },
      ],
    );
  });

  it('stores a code diff that restores the exact starting files on the recorded commit', async () => {
    const diff = await server.client.getArtifact(run.info, RUN_ARTIFACTS.codeDiff);
    const copy = path.join(dir, 'py-restored');
    git(dir, 'clone', '-q', ws, copy);
    git(copy, 'checkout', '-q', tag(run, RUN_TAGS.gitCommit)!);
    fs.writeFileSync(path.join(dir, 'py.diff'), diff);
    execFileSync('git', ['apply', path.join(dir, 'py.diff')], { cwd: copy });
    const skip = (rel: string) => rel.startsWith('out/') || rel.startsWith('.cairn');
    assert.deepEqual(treeOf(copy, skip), treeOf(ws, skip));
    assert.ok(treeOf(copy).has('lib/new_helper.py'), 'untracked text files are part of the diff');
  });
});

describe('cairn run status and signals', () => {
  const ws = path.join(dir, 'node');

  before(() => {
    fs.mkdirSync(ws, { recursive: true });
    fs.mkdirSync(path.join(ws, '.cairn'));
    fs.writeFileSync(path.join(ws, 'params.json'), '{"optimizer": {"name": "sgd", "momentum": 0.9}}');
    fs.writeFileSync(path.join(ws, 'crash.js'), `console.log('step=1 loss=0.9');\nconsole.error('about to fail');\nsetTimeout(() => { throw new Error('boom'); }, 50);\n`);
    fs.writeFileSync(
      path.join(ws, 'forever.py'),
      `import time, sys\nfor i in range(1000):\n    print(f"iter={i} loss={1/(i+1):.4f}")\n    if i == 3: print("READY")\n    time.sleep(0.05 if i < 3 else 10)\n`,
    );
  });

  it('records a crashing Node script as FAILED with its exit code, and exits with it', async () => {
    const r = await cairnRun(['--', process.execPath, 'crash.js', '--lr=0.1'], { cwd: ws, env }).done;
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Error: boom/);
    const run = await server.client.getRun(runIdOf(r.stderr));
    assert.equal(run.info.status, 'FAILED');
    assert.equal(tag(run, RUN_TAGS.exitCode), '1');
    assert.equal(tag(run, RUN_TAGS.gitCommit), undefined, 'not a git repository');
    assert.deepEqual(Object.fromEntries(run.data.params.map((p) => [p.key, p.value])), { lr: '0.1', 'optimizer.name': 'sgd', 'optimizer.momentum': '0.9' });
    assert.deepEqual(await history(run.info.run_id, 'loss'), [[1, 0.9]]);
  });

  it('records a command that cannot start as FAILED (exit 127)', async () => {
    const r = await cairnRun(['--', 'definitely-not-a-command-xyz'], { cwd: ws, env }).done;
    assert.equal(r.code, 127);
    assert.match(r.stderr, /command not found: definitely-not-a-command-xyz/);
    assert.equal((await server.client.getRun(runIdOf(r.stderr))).info.status, 'FAILED');
  });

  it('passes SIGINT to the command and records the run as KILLED, with what it logged so far', async () => {
    const r = cairnRun(['--', PYTHON, 'forever.py'], { cwd: ws, env });
    await r.waitFor('READY');
    await r.waitFor('[cairn] run ');
    r.proc.kill('SIGINT');
    const res = await r.done;
    assert.equal(res.code, 130, res.stderr);
    assert.match(res.stderr, /KeyboardInterrupt/);
    const run = await server.client.getRun(runIdOf(res.stderr));
    assert.equal(run.info.status, 'KILLED');
    assert.deepEqual((await history(run.info.run_id, 'loss')).map(([s]) => s), [0, 1, 2, 3]);
  });

  it('records SIGTERM as KILLED too', async () => {
    const r = cairnRun(['--', PYTHON, 'forever.py'], { cwd: ws, env });
    await r.waitFor('READY');
    r.proc.kill('SIGTERM');
    const res = await r.done;
    assert.equal(res.code, 143);
    assert.equal((await server.client.getRun(runIdOf(res.stderr))).info.status, 'KILLED');
  });
});

describe('cairn run streams the log tail', () => {
  it('publishes new output lines as log.tail events while the command runs', async () => {
    const ws = path.join(dir, 'tail');
    fs.mkdirSync(path.join(ws, '.cairn'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'talk.py'), `import time\nprint("hello from the run")\ntime.sleep(2.5)\nprint("bye")\n`);
    const events: DeliveredEvent[] = [];
    const ctrl = new AbortController();
    const res = await fetch(`${server.url}/api/cairn/v1/events?types=log.tail`, { headers: { Authorization: `Bearer ${server.token}` }, signal: ctrl.signal });
    const reading = (async () => {
      const decoder = new TextDecoder();
      let buf = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buf += decoder.decode(chunk, { stream: true });
          for (const m of buf.matchAll(/^data: (.*)$/gm)) events.push(JSON.parse(m[1]!) as DeliveredEvent);
          buf = buf.slice(buf.lastIndexOf('\n\n') + 2);
        }
      } catch {
        // aborted
      }
    })();
    const r = cairnRun(['--', PYTHON, 'talk.py'], { cwd: ws, env });
    await r.waitFor('hello from the run');
    const runId = runIdOf(r.stderr());
    // While the command still runs (it sleeps 2.5 s), the first line arrives as an event.
    for (let i = 0; i < 150 && !events.some((e) => e.type === 'log.tail' && e.runId === runId); i++) await new Promise((s) => setTimeout(s, 20));
    assert.equal(r.proc.exitCode, null, 'the command is still running');
    const first = events.find((e) => e.type === 'log.tail' && e.runId === runId);
    assert.ok(first && first.type === 'log.tail' && first.lines.includes('hello from the run'), JSON.stringify(events));
    await r.done;
    ctrl.abort();
    await reading;
    const all = events.flatMap((e) => (e.type === 'log.tail' && e.runId === runId ? e.lines : []));
    assert.deepEqual(all, ['hello from the run', 'bye']);
    assert.deepEqual((await server.client.logTail(runId)).lines, ['hello from the run', 'bye']);
  });

  it('answers bad log-tail requests with 4xx', async () => {
    const post = (runId: string, body: unknown) =>
      fetch(`${server.url}/api/cairn/v1/runs/${runId}/log-tail`, { method: 'POST', headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await post('0123456789abcdef0123456789abcdef', { lines: ['x'] })).status, 404);
    const run = (await server.client.searchRuns({ experiment_ids: ['0'], max_results: 1 })).runs[0]!;
    assert.equal((await post(run.info.run_id, { lines: { nested: true } })).status, 400);
    assert.equal((await post(run.info.run_id, { lines: [{}] })).status, 400);
    assert.equal((await post(run.info.run_id, { lines: Array(1001).fill('x') })).status, 400);
  });
});
