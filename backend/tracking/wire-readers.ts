import type { DatasetInput, KeyValue, Metric } from '../api/mlflow';
import { invalidParam } from '../core/errors';
import type { Message } from '../server/message';

/** Reads `[{key, value}]`; values must be strings (protobuf JSON does not coerce). */
export function readKeyValues(msg: Message, field: string): KeyValue[] {
  return msg.objects(field).map((m, i) => readKeyValue(m, `${field}[${i}].`));
}

/** One `{key, value}` message; `prefix` names it in errors (`params[3].`). */
export function readKeyValue(m: Message, prefix = ''): KeyValue {
  const key = m.optString('key');
  if (key === undefined) throw invalidParam(`Missing value for required parameter '${prefix}key'.`);
  return { key, value: readStringValue(m, `${prefix}value`) };
}

function readStringValue(m: Message, field: string): string {
  const v = m.raw['value'];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw invalidParam(`Invalid value ${JSON.stringify(v)} for parameter '${field}' supplied: expected a string.`);
  return v;
}

export function readMetric(m: Message, now: number): Metric {
  return {
    key: m.string('key'),
    value: m.double('value'),
    timestamp: m.optInt('timestamp') ?? now,
    step: m.optInt('step') ?? 0,
  };
}

export function readDatasetInputs(msg: Message): DatasetInput[] {
  return msg.objects('datasets').map((d, i) => {
    const ds = d.object('dataset');
    if (!ds) throw invalidParam(`Missing value for required parameter 'datasets[${i}].dataset'.`);
    return {
      tags: readKeyValues(d, 'tags'),
      dataset: {
        name: ds.string('name'),
        digest: ds.string('digest'),
        source_type: ds.optString('source_type') ?? '',
        source: ds.optString('source') ?? '',
        ...(ds.has('schema') ? { schema: ds.string('schema') } : {}),
        ...(ds.has('profile') ? { profile: ds.string('profile') } : {}),
      },
    };
  });
}
