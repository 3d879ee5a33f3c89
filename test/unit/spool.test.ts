import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Spool } from '../../backend/launcher/spool';
import { tmpDir } from '../helpers/tmp';

const dir = tmpDir();

describe('spool', () => {
  it('keeps ops and artifact bytes on disk, in order, and resumes after the done mark', () => {
    const root = path.join(dir, 'a');
    const spool = Spool.create(root, { runId: 'r1', url: 'http://127.0.0.1:1', local: true });
    assert.equal(spool.exists, false);
    const src = path.join(dir, 'src.bin');
    fs.writeFileSync(src, 'payload');
    spool.append({ kind: 'json', method: 'POST', path: '/x', body: { n: 1, v: 'NaN' } });
    spool.append({ kind: 'artifact', artifactPath: '0/r1/artifacts/a.bin', file: src });
    spool.append({ kind: 'artifact', artifactPath: '0/r1/artifacts/b.txt', data: Buffer.from('in memory') });
    fs.writeFileSync(src, 'changed later'); // the spool kept its own copy
    const ops = spool.pending();
    assert.equal(ops.length, 3);
    assert.deepEqual(ops[0], { kind: 'json', method: 'POST', path: '/x', body: { n: 1, v: 'NaN' } });
    assert.equal(fs.readFileSync(spool.fileOf(ops[1] as Extract<(typeof ops)[1], { kind: 'artifact' }>), 'utf8'), 'payload');
    assert.equal(fs.readFileSync(spool.fileOf(ops[2] as Extract<(typeof ops)[2], { kind: 'artifact' }>), 'utf8'), 'in memory');
    spool.markDone(2);
    assert.equal(spool.pending().length, 1);
    // A torn last line (a crash mid-append) is ignored.
    fs.appendFileSync(path.join(spool.dir, 'ops.jsonl'), '{"kind":"json","meth');
    assert.equal(spool.pending().length, 1);
    spool.remove();
    assert.equal(fs.existsSync(spool.dir), false);
  });

  it('is claimed by one later process only, and never while its writer lives', () => {
    const root = path.join(dir, 'b');
    const mine = Spool.create(root, { runId: 'live', url: 'u', local: true });
    mine.append({ kind: 'json', method: 'POST', path: '/x', body: {} });
    // Written by a process that has ended.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const orphanDir = path.join(root, 'orphan');
    fs.mkdirSync(orphanDir);
    fs.writeFileSync(path.join(orphanDir, 'owner.json'), JSON.stringify({ pid: Number(dead), url: 'u', local: true, created: 0 }));
    fs.writeFileSync(path.join(orphanDir, 'ops.jsonl'), '{"kind":"json","method":"POST","path":"/y","body":{}}\n');
    assert.equal(Spool.list(root).length, 2);
    const claimed = Spool.claim(orphanDir)!;
    assert.ok(claimed);
    assert.equal(claimed.owner.pid, process.pid);
    assert.equal(claimed.pending().length, 1);
    assert.equal(Spool.claim(orphanDir), undefined, 'already claimed');
    // Our own live spool may be claimed by us (same pid) but not by another live process: simulate by a foreign live pid.
    fs.writeFileSync(path.join(mine.dir, 'owner.json'), JSON.stringify({ ...mine.owner, pid: process.ppid }));
    assert.equal(Spool.claim(mine.dir), undefined);
    mine.close();
  });
});
