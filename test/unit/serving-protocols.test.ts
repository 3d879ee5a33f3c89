import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ModelSignature } from '../../backend/api/registry';
import { formatPredictions, parseInvocation } from '../../backend/serving/protocols/mlflow-scoring';
import { parseOipRequest } from '../../backend/serving/protocols/oip';
import { PredictionLog, readFeedback, readPredictions } from '../../backend/serving/prediction-log';
import { parseModelRef } from '../../backend/registry/model-ref';
import { tmpDir } from '../helpers/tmp';

const sig: ModelSignature = { inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }], outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 3] }], columns: ['a', 'b'], source: 'model' };
const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const err = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return `${(e as { status?: number }).status} ${(e as Error).message}`;
  }
  throw new Error('expected an error');
};

describe('serving protocols', () => {
  it('maps every MLflow payload form onto the model input, in signature column order', () => {
    const want = [1, 2, 3, 4];
    const forms = [
      { dataframe_split: { columns: ['b', 'a'], data: [[2, 1], [4, 3]] } },
      { dataframe_records: [{ a: 1, b: 2, extra: 'x' }, { b: 4, a: 3 }] },
      { instances: [[1, 2], [3, 4]] },
      { instances: [{ a: 1, b: 2 }, { a: 3, b: 4 }] },
      { inputs: [[1, 2], [3, 4]] },
      { inputs: { x: [[1, 2], [3, 4]] } },
      { inputs: { a: [1, 3], b: [2, 4] } },
    ];
    for (const f of forms) assert.deepEqual(parseInvocation('application/json', json(f), sig)[0]!.data, want, JSON.stringify(f));
    assert.deepEqual(parseInvocation('text/csv; charset=utf-8', Buffer.from(',b,a\n0,2,1\n1,4,3\n'), sig)[0]!.data, want, 'CSV with a pandas index column');
    assert.match(err(() => parseInvocation('application/json; charset=latin-1', json(forms[0]), sig)), /^415 /);
    assert.match(err(() => parseInvocation('application/json', json({ instances: [[1, 2], [3]] }), sig)), /^400 instances is ragged/);
  });

  it('formats MLflow predictions: a single output as rows, several as records, `predictions` preferred', () => {
    assert.deepEqual(formatPredictions([{ name: 'y', datatype: 'FP32', shape: [2, 2], data: [1, 2, 3, 4] }]), { predictions: [[1, 2], [3, 4]] });
    assert.deepEqual(formatPredictions([{ name: 'a', datatype: 'FP32', shape: [2], data: [1, 2] }, { name: 'b', datatype: 'BYTES', shape: [2], data: ['x', 'y'] }]), { predictions: [{ a: 1, b: 'x' }, { a: 2, b: 'y' }] });
    assert.deepEqual(formatPredictions([{ name: 'probabilities', datatype: 'FP64', shape: [1, 2], data: [0.1, 0.9] }, { name: 'predictions', datatype: 'BYTES', shape: [1], data: ['b'] }]), { predictions: ['b'] });
  });

  it('reads OIP requests: nested data, one tensor per column, and explains every refusal', () => {
    assert.deepEqual(parseOipRequest({ inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP64', data: [[5, 6]] }] }, sig).inputs[0], { name: 'x', shape: [1, 2], datatype: 'FP32', data: [5, 6] });
    const byColumn = parseOipRequest({ inputs: [{ name: 'b', shape: [2], datatype: 'FP32', data: [2, 4] }, { name: 'a', shape: [2], datatype: 'FP32', data: [1, 3] }] }, sig);
    assert.deepEqual(byColumn.inputs[0]!.data, [1, 2, 3, 4]);
    assert.match(err(() => parseOipRequest({ inputs: [{ name: 'x', shape: [1, 2], datatype: 'FP32', data: [1, 2] }], outputs: [{ name: 'z' }] }, sig)), /Unknown output 'z'/);
    assert.match(err(() => parseOipRequest({ id: 7, inputs: [] }, sig)), /'id' must be a string/);
    assert.match(err(() => parseOipRequest({ inputs: [{ name: 'x', shape: [-1, 2], datatype: 'FP32', data: [] }] }, sig)), /non-negative integers/);
    const two: ModelSignature = { inputs: [{ name: 'p', datatype: 'FP32', shape: [-1, 1] }, { name: 'q', datatype: 'INT32', shape: [-1] }], outputs: [], source: 'model' };
    assert.match(err(() => parseOipRequest({ inputs: [{ name: 'p', shape: [1, 1], datatype: 'FP32', data: [1] }] }, two)), /Missing input 'q': the model expects 'p' FP32 \[-1, 1\], 'q' INT32 \[-1\]/);
  });

  it('parses model references', () => {
    assert.deepEqual(parseModelRef('weather@champion'), { name: 'weather', alias: 'champion' });
    assert.deepEqual(parseModelRef('models:/weather/3'), { name: 'weather', version: '3' });
    assert.deepEqual(parseModelRef('team/weather/12'), { name: 'team/weather', version: '12' });
    assert.throws(() => parseModelRef('weather'), /expected NAME@ALIAS or NAME\/VERSION/);
  });
});

const logDir = path.join(tmpDir(), 'log');

describe('prediction log', () => {
  it('appends records asynchronously, reads them back in order, skips a torn tail, and keeps feedback', async () => {
    const log = new PredictionLog(logDir, false);
    for (let i = 0; i < 5; i++) log.append({ id: `r${i}`, time: i, deployment: 'd', model: 'm', version: '1', variant: 'primary', protocol: 'oip', inputs: [{ a: i }], outputs: [{ y: i }], latency_ms: 1, batch_size: 1 });
    await log.close();
    fs.appendFileSync(path.join(logDir, 'predictions-000001.jsonl'), '{"id":"torn","ti');
    const again = new PredictionLog(logDir, false);
    again.append({ id: 'r5', time: 5, deployment: 'd', model: 'm', version: '1', variant: 'primary', protocol: 'oip', inputs: [], outputs: [], latency_ms: 1, batch_size: 1 });
    await again.flush();
    await again.appendFeedback({ request_id: 'r2', time: 9, labels: ['rain'] });
    const ids: string[] = [];
    for await (const r of readPredictions(logDir)) ids.push(r.id);
    assert.deepEqual(ids.filter((i) => i !== 'torn'), ['r0', 'r1', 'r2', 'r3', 'r4']);
    const since: string[] = [];
    for await (const r of readPredictions(logDir, { since: 3 })) since.push(r.id);
    assert.deepEqual(since, ['r3', 'r4']);
    assert.deepEqual((await readFeedback(logDir)).map((f) => f.request_id), ['r2']);
    assert.equal(again.dropped, 0);
  });
});
