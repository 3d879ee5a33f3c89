/*
 * cairn-model.js — loads the TF.js model in this folder and predicts, in Node or a browser, with
 * nothing else installed (exported by `cairn export MODEL --format tfjs-bundle`).
 *
 * Node:    const { load } = require('./cairn-model.js');
 *          const model = await load();
 *          await model.predict([{ precipitation: 0, temp_max: 12, temp_min: 5, wind: 3 }]);
 * Browser: <script src="tfjs-browser.js"></script><script src="cairn-model.js"></script>
 *          →  const model = await cairnModel.load();
 *
 * predict(rows) takes objects keyed by the signature's columns (or arrays of numbers) and returns
 * one array of output values per row; classify(rows) returns the label of each row when the
 * signature names the classes.
 */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) {
    const fs = require('fs');
    const path = require('path');
    module.exports = factory({
      tf: () => {
        const m = require('./tfjs-node-wasm.js');
        m.setWasmPaths(__dirname + path.sep);
        return m.tf;
      },
      readJson: async (f) => JSON.parse(fs.readFileSync(path.join(__dirname, f), 'utf8')),
      readBytes: async (f) => {
        const b = fs.readFileSync(path.join(__dirname, f));
        return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
      },
    });
  } else {
    const script = typeof document !== 'undefined' && document.currentScript ? document.currentScript.src : '';
    const base = script ? script.slice(0, script.lastIndexOf('/') + 1) : './';
    root.cairnModel = factory({
      tf: () => {
        root.tf.wasm.setWasmPaths(base);
        return root.tf;
      },
      readJson: async (f) => (await fetch(base + f)).json(),
      readBytes: async (f) => (await fetch(base + f)).arrayBuffer(),
    });
  }
})(typeof self !== 'undefined' ? self : this, function (host) {
  async function load() {
    const tf = host.tf();
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error('the TF.js wasm backend did not start: are the tfjs-backend-wasm*.wasm files next to cairn-model.js?');
    await tf.ready();
    const json = await host.readJson('model.json');
    const signature = await host.readJson('signature.json').catch(() => ({ inputs: [], outputs: [] }));
    const specs = [];
    const buffers = [];
    for (const group of json.weightsManifest || []) {
      specs.push(...group.weights);
      for (const p of group.paths) buffers.push(new Uint8Array(await host.readBytes(p)));
    }
    const total = buffers.reduce((n, b) => n + b.length, 0);
    const weights = new Uint8Array(total);
    let offset = 0;
    for (const b of buffers) {
      weights.set(b, offset);
      offset += b.length;
    }
    const artifacts = { modelTopology: json.modelTopology, format: json.format, signature: json.signature, weightSpecs: specs, weightData: weights.buffer };
    const graph = json.format === 'graph-model';
    const model = graph ? await tf.loadGraphModel(tf.io.fromMemory(artifacts)) : await tf.loadLayersModel(tf.io.fromMemory(artifacts));

    function toMatrix(rows) {
      const cols = signature.columns;
      return rows.map((r, i) => {
        if (Array.isArray(r)) return r.map(Number);
        if (!cols) throw new Error('row ' + i + ' is an object but signature.json names no columns: pass arrays of numbers');
        return cols.map((c) => {
          if (!(c in r)) throw new Error('row ' + i + ' lacks column ' + c);
          return Number(r[c]);
        });
      });
    }

    async function predict(rows) {
      const x = tf.tensor2d(toMatrix(rows));
      try {
        const out = graph ? await model.executeAsync(x) : model.predict(x);
        const first = Array.isArray(out) ? out[0] : out;
        const values = await first.array();
        (Array.isArray(out) ? out : [out]).forEach((t) => t.dispose());
        return values;
      } finally {
        x.dispose();
      }
    }

    async function classify(rows) {
      if (!signature.labels) throw new Error('signature.json names no labels');
      return (await predict(rows)).map((p) => signature.labels[p.indexOf(Math.max(...p))]);
    }

    return { signature, predict, classify, backend: tf.getBackend() };
  }
  return { load };
});
