import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricLineParser } from '../../backend/launcher/metric-line-parser';

function parse(text: string | string[], chunked = false): string[] {
  const out: string[] = [];
  const p = new MetricLineParser((k, v, s) => out.push(`${k}=${v}@${s}`));
  const input = Array.isArray(text) ? text.join('\n') + '\n' : text;
  if (chunked) for (const ch of input) p.push(ch, 0);
  else p.push(input, 0);
  p.end(0);
  return out;
}

describe('metric line parser', () => {
  it('reads key=value and key: value pairs, with steps from line order per key', () => {
    assert.deepEqual(parse(['loss=0.5 acc=0.8', 'loss: 0.4, acc: 0.9', 'loss = 0.3']), ['loss=0.5@0', 'acc=0.8@0', 'loss=0.4@1', 'acc=0.9@1', 'loss=0.3@2']);
  });

  it('takes the step from step/epoch/iter keys and keeps it for the lines that follow', () => {
    assert.deepEqual(parse(['epoch=3 loss=0.5', 'val_loss: 0.6', 'step=10 epoch=4 loss=0.4', 'iter: 7 | lr: 1e-3', 'global_step=99 step=5 x=1']), [
      'loss=0.5@3',
      'val_loss=0.6@3',
      'loss=0.4@10',
      'lr=0.001@7',
      'x=1@99',
    ]);
  });

  it('reads JSON objects per line, flattening nested objects', () => {
    assert.deepEqual(parse(['{"epoch": 2, "loss": 0.25, "eval": {"acc": 0.9, "f1": 0.8}, "name": "x", "ok": true}']), ['loss=0.25@2', 'eval/acc=0.9@2', 'eval/f1=0.8@2']);
  });

  it('reads Python dict and JS object prints', () => {
    assert.deepEqual(parse(["{'loss': 0.25, 'val_acc': 0.75}", '{ loss: 0.2, acc: 0.95 }']), ['loss=0.25@0', 'val_acc=0.75@0', 'loss=0.2@1', 'acc=0.95@0']);
  });

  it('reads Keras progress (Epoch header, then the metrics line) and the one-line form', () => {
    const keras = [
      'Epoch 1/10',
      '32/32 [==============================] - 1s 12ms/step - loss: 0.6931 - accuracy: 0.5000 - val_loss: 0.6900 - val_accuracy: 0.5200',
      'Epoch 2/10',
      '32/32 ━━━━━━━━━━━━━━━━━━━━ 0s 2ms/step - accuracy: 0.6000 - loss: 0.6500',
      'Epoch 3/10 … loss: 0.21 - acc: 0.93',
    ];
    assert.deepEqual(parse(keras), ['loss=0.6931@1', 'accuracy=0.5@1', 'val_loss=0.69@1', 'val_accuracy=0.52@1', 'accuracy=0.6@2', 'loss=0.65@2', 'loss=0.21@3', 'acc=0.93@3']);
  });

  it('reads TF.js progress lines and ignores eta', () => {
    assert.deepEqual(parse(['Epoch 4 / 20', 'eta=0.0 ====================================>', '345ms 1234us/step - acc=0.812 loss=0.456 val_acc=0.700 val_loss=0.600']), [
      'acc=0.812@4',
      'loss=0.456@4',
      'val_acc=0.7@4',
      'val_loss=0.6@4',
    ]);
  });

  it('keeps only the last drawing of a progress bar redrawn with \\r or \\b', () => {
    assert.deepEqual(parse(['10/32 loss: 0.9\r20/32 loss: 0.8\r32/32 loss: 0.7', 'a=1\b\b\bb=2', 'crlf=5\r']), ['loss=0.7@0', 'b=2@0', 'crlf=5@0']);
  });

  it('reads nan, inf, signs, exponents and percentages', () => {
    assert.deepEqual(parse(['a=nan b=-inf c=+Infinity d=-1.5e-3 e: 93.5% f=.5']), ['a=NaN@0', 'b=-Infinity@0', 'c=Infinity@0', 'd=-0.0015@0', 'e=93.5@0', 'f=0.5@0']);
  });

  it('does not take times, dates, ratios, units, URLs or log levels for metrics', () => {
    const noise = [
      '2024-01-01 12:00:00,123 INFO: loading data from http://host:8080/x',
      'time=5ms took: 12s ratio 3/10 version=1.2.3 at 12:30',
      'WARNING: 3 files skipped; Processing batch number 7 of the dataset',
      'Traceback (most recent call last):',
      '  File "train.py", line 42, in <module>',
      'a==1 b=0x1f c=1,2',
    ];
    assert.deepEqual(parse(noise), ['c=1@0']);
  });

  it('gives the same result when output arrives one character at a time', () => {
    const lines = ['epoch=1 loss=0.5', '{"step": 4, "acc": 0.5}', 'Epoch 7/9', 'x: 1 - y: 2', 'tail=3'];
    assert.deepEqual(parse(lines.join('\n'), true), parse(lines.join('\n')));
    assert.deepEqual(parse(lines.join('\n')).at(-1), 'tail=3@7');
  });

  it('keeps partial lines of stdout and stderr apart', () => {
    const out: string[] = [];
    const p = new MetricLineParser((k, v, s) => out.push(`${k}=${v}@${s}`));
    p.push('lo', 0, 0);
    p.push('WARN something\nac', 0, 1);
    p.push('ss=1\n', 0, 0);
    p.push('c=2\n', 0, 1);
    assert.deepEqual(out, ['loss=1@0', 'acc=2@0']);
    assert.equal(p.lines, 3);
  });

  it('rejects keys the tracking server would refuse', () => {
    assert.deepEqual(parse(['a//b=1 c/=2 ./d=3 e/./f=4 g/h=5']), ['d=3@0', 'g/h=5@0']);
  });
});
