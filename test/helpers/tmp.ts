import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';

/** A fresh temp folder, removed when the test file ends. Call it at the top level of a test file, not in a hook. */
export function tmpDir(prefix = 'cairn-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function rejectsWithCode(p: Promise<unknown>, code: string): Promise<Error> {
  try {
    await p;
  } catch (err) {
    const actual = (err as { code?: string }).code;
    if (actual !== code) throw new Error(`expected error code ${code}, got ${actual}: ${(err as Error).message}`);
    return err as Error;
  }
  throw new Error(`expected a rejection with code ${code}, but the call succeeded`);
}
