/**
 * The test request of the Deployments view: a sample body written from the deployment's signature
 * (what the user edits in a JSON editor), the protocol a body speaks, and how the answer is shown.
 * Pure (no `vscode`), so it is unit-tested directly.
 */
import type { ModelSignature } from '../../backend/api/registry';
import type { RawInferenceResponse } from '../../backend/client/serving-client';

export type RequestProtocol = 'oip' | 'mlflow';

/** Zero-filled rows of the right width: MLflow `dataframe_split` when columns are named, else an OIP tensor. */
export function sampleRequest(signature: ModelSignature | undefined, rows = 2): Record<string, unknown> {
  if (signature?.columns?.length) {
    return { dataframe_split: { columns: signature.columns, data: Array.from({ length: rows }, () => signature.columns!.map(() => 0)) } };
  }
  const input = signature?.inputs[0];
  if (!input) return { inputs: [[0]] };
  const width = input.shape.slice(1).reduce((a, b) => a * (b > 0 ? b : 1), 1);
  const shape = [rows, ...input.shape.slice(1).map((d) => (d > 0 ? d : 1))];
  return { inputs: [{ name: input.name, shape, datatype: input.datatype, data: Array.from({ length: rows * width }, () => 0) }] };
}

/** OIP when `inputs` is a list of named tensors (`{name, shape, datatype, data}`), else MLflow scoring. */
export function requestProtocol(body: unknown): RequestProtocol {
  const inputs = (body as { inputs?: unknown } | null)?.inputs;
  const isTensor = (t: unknown) => typeof t === 'object' && t !== null && !Array.isArray(t) && 'datatype' in t && 'data' in t;
  return Array.isArray(inputs) && inputs.length > 0 && inputs.every(isTensor) ? 'oip' : 'mlflow';
}

/** Parses the editor's text, with an error that says where it broke. */
export function parseRequestBody(text: string): { ok: true; body: unknown } | { ok: false; error: string } {
  if (!text.trim()) return { ok: false, error: 'the request is empty: write a JSON body' };
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: `the request is not valid JSON: ${(err as Error).message}` };
  }
}

/** The response document: the answer pretty-printed when it is JSON, with status and timing first. */
export function responseDocument(deployment: string, r: RawInferenceResponse): string {
  let pretty = r.text;
  try {
    pretty = JSON.stringify(JSON.parse(r.text), null, 2);
  } catch {
    // not JSON: shown as the server sent it
  }
  const head = `// POST ${r.path} → ${r.status}${r.ok ? '' : ' (error)'} in ${r.ms.toFixed(1)} ms${r.requestId ? ` · X-Request-Id ${r.requestId}` : ''} · deployment ${deployment}`;
  return `${head}\n${pretty}\n`;
}
