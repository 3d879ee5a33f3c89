import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DriftSource } from '../api/drift';
import { CairnError } from '../core/errors';
import { CsvReader } from './inputs/csv-reader';
import { JsonlReader } from './inputs/jsonl-reader';
import { ParquetReader } from './inputs/parquet-reader';
import type { TableReader } from './inputs/table-reader';

/** Turns dataset versions and prediction logs into readable tables (provided by the data and serving engines). */
export interface SourceResolver {
  dataset?(name: string, version: string | undefined): Promise<TableReader>;
  predictionLog?(deployment: string, start: number | undefined, end: number | undefined): Promise<TableReader>;
}

export function fileReader(file: string, format?: 'csv' | 'jsonl' | 'parquet'): TableReader {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new CairnError('RESOURCE_DOES_NOT_EXIST', `No such file: ${file}`);
  const ext = path.extname(file).toLowerCase();
  const fmt = format ?? (ext === '.parquet' ? 'parquet' : ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : ext === '.csv' || ext === '.tsv' || ext === '.txt' ? 'csv' : undefined);
  if (fmt === 'parquet') return new ParquetReader(file);
  if (fmt === 'jsonl') return new JsonlReader(file);
  if (fmt === 'csv') return new CsvReader(file, ext === '.tsv' ? '\t' : ',');
  throw new CairnError('INVALID_PARAMETER_VALUE', `Cannot tell the format of ${file}: use .csv, .tsv, .jsonl or .parquet (or give a format).`);
}

export async function openSource(src: DriftSource, resolver: SourceResolver, baseDir = process.cwd()): Promise<TableReader> {
  if ('path' in src) return fileReader(path.resolve(baseDir, src.path), src.format);
  if ('dataset' in src) {
    if (!resolver.dataset) throw new CairnError('INVALID_PARAMETER_VALUE', 'Dataset sources are not available on this backend.');
    return resolver.dataset(src.dataset, src.version);
  }
  if ('deployment' in src) {
    if (!resolver.predictionLog) throw new CairnError('INVALID_PARAMETER_VALUE', 'Prediction-log sources are not available on this backend.');
    return resolver.predictionLog(src.deployment, src.start, src.end);
  }
  throw new CairnError('INVALID_PARAMETER_VALUE', 'A drift source needs one of: path, dataset, deployment.');
}
