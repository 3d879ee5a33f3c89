import * as path from 'node:path';

/** `$CAIRN_STORE`, else `.cairn` in the current directory. */
export function defaultStoreDir(): string {
  return path.resolve(process.env['CAIRN_STORE'] ?? '.cairn');
}
