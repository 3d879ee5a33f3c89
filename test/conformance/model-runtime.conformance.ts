/**
 * The behaviour every ModelRuntime must have (TF.js in-process, TF.js in a worker thread, JSON-lines
 * model processes). Call `modelRuntimeConformance(name, factory)` from a test file.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelRuntime } from '../../backend/serving/runtimes/model-runtime';
import { ModelInputError, RuntimeCrashed } from '../../backend/serving/runtimes/model-runtime';
import type { Tensor } from '../../backend/serving/tensor';

export interface RuntimeFactory {
  load(): Promise<ModelRuntime>;
  /** A valid batch of `rows` rows. */
  batch(rows: number): Tensor[];
  /** A batch the model must refuse (wrong width). */
  badBatch(): Tensor[];
  /** Kills the model's thread or process from outside, if the runtime is isolated. */
  crash?(rt: ModelRuntime): void;
}

const firstRows = (t: Tensor, from: number, rows: number): unknown[] => {
  const width = t.shape.slice(1).reduce((a, b) => a * b, 1);
  return t.data.slice(from * width, (from + rows) * width);
};

export function modelRuntimeConformance(name: string, factory: RuntimeFactory): void {
  describe(`ModelRuntime conformance: ${name}`, () => {
    it('declares a signature with a variable batch dimension', async () => {
      const rt = await factory.load();
      try {
        assert.ok(rt.signature.inputs.length >= 1, 'at least one input');
        assert.ok(rt.signature.outputs.length >= 1, 'at least one output');
        for (const t of [...rt.signature.inputs, ...rt.signature.outputs]) assert.equal(t.shape[0], -1, `${t.name} has batch dim -1`);
      } finally {
        await rt.close();
      }
    });

    it('predicts a batch with one output row per input row, the same as row by row', async () => {
      const rt = await factory.load();
      try {
        const batch = factory.batch(5);
        const outputs = await rt.predict(batch);
        assert.ok(outputs.length >= 1);
        for (const o of outputs) assert.equal(o.shape[0], 5, `${o.name} has 5 rows`);
        const single = await rt.predict(factory.batch(5).map((t) => ({ ...t, shape: [1, ...t.shape.slice(1)], data: firstRows(t, 2, 1) as Tensor['data'] })));
        for (let i = 0; i < outputs.length; i++) {
          const expected = firstRows(outputs[i]!, 2, 1);
          const got = single[i]!.data;
          assert.equal(got.length, expected.length);
          got.forEach((v, j) => (typeof v === 'number' ? assert.ok(Math.abs(v - (expected[j] as number)) < 1e-5, `${v} ≈ ${expected[j]}`) : assert.equal(v, expected[j])));
        }
      } finally {
        await rt.close();
      }
    });

    it('answers concurrent predictions each with its own result', async () => {
      const rt = await factory.load();
      try {
        const sizes = [1, 2, 3, 4, 5, 6];
        const results = await Promise.all(sizes.map((n) => rt.predict(factory.batch(n))));
        results.forEach((outs, i) => assert.equal(outs[0]!.shape[0], sizes[i]));
      } finally {
        await rt.close();
      }
    });

    it('refuses a badly shaped input with a ModelInputError and keeps serving', async () => {
      const rt = await factory.load();
      try {
        await assert.rejects(rt.predict(factory.badBatch()), (err: Error) => err instanceof ModelInputError || err.name === 'ModelInputError');
        const ok = await rt.predict(factory.batch(1));
        assert.equal(ok[0]!.shape[0], 1);
      } finally {
        await rt.close();
      }
    });

    if (factory.crash) {
      it('reports a crash of its thread or process and fails pending predictions with RuntimeCrashed', async () => {
        const rt = await factory.load();
        const exited = new Promise<Error>((resolve) => rt.onExit(resolve));
        const pending = Promise.all(Array.from({ length: 20 }, () => rt.predict(factory.batch(50)).then(() => 'ok', (e: Error) => e)));
        factory.crash!(rt);
        const err = await exited;
        assert.ok(err instanceof RuntimeCrashed, `exit reported as RuntimeCrashed, got ${err}`);
        for (const r of await pending) assert.ok(r === 'ok' || r instanceof RuntimeCrashed, `each pending call resolves or fails with RuntimeCrashed, got ${r}`);
        await assert.rejects(rt.predict(factory.batch(1)), RuntimeCrashed);
        await rt.close();
      });
    }
  });
}
