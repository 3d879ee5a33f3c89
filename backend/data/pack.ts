import { invalidParam } from '../core/errors';

/**
 * A pack carries many small objects in one HTTP body, so pushing or pulling 100,000 small files
 * costs a few dozen requests instead of 100,000. Each entry is the object's sha256 (32 raw bytes),
 * its length (8 bytes, big-endian) and its bytes; the body ends after the last entry.
 */
export const PACK_HEADER = 40;
/** Objects up to this size travel in packs; larger ones are streamed one per request. */
export const PACK_OBJECT_MAX = 1 << 20;
/** A pack closes once it holds this many bytes or entries. */
export const PACK_TARGET_BYTES = 16 << 20;
export const PACK_TARGET_ENTRIES = 8192;
/** The receiver refuses entries larger than this (it buffers one entry at a time). */
export const PACK_ENTRY_LIMIT = 16 << 20;

export function packHeader(hash: string, size: number): Buffer {
  const h = Buffer.alloc(PACK_HEADER);
  h.write(hash, 0, 32, 'hex');
  h.writeBigUInt64BE(BigInt(size), 32);
  return h;
}

/** Encodes entries (already verified by the sender) into one pack body. */
export function encodePack(entries: { hash: string; data: Buffer }[]): Buffer {
  return Buffer.concat(entries.flatMap((e) => [packHeader(e.hash, e.data.length), e.data]));
}

/** Decodes a pack stream entry by entry; the caller checks each entry's bytes against its hash. */
export async function* decodePack(body: AsyncIterable<Buffer>): AsyncGenerator<{ hash: string; data: Buffer }> {
  const queue = new ByteQueue();
  let need: { hash: string; size: number } | undefined;
  for await (const chunk of body) {
    queue.push(chunk);
    for (;;) {
      if (!need) {
        if (queue.length < PACK_HEADER) break;
        const header = queue.take(PACK_HEADER);
        const size = Number(header.readBigUInt64BE(32));
        if (size > PACK_ENTRY_LIMIT) throw invalidParam(`A pack entry of ${size} bytes exceeds the limit of ${PACK_ENTRY_LIMIT}; send large objects with PUT /api/cairn/v1/objects/{hash}.`);
        need = { hash: header.subarray(0, 32).toString('hex'), size };
      }
      if (queue.length < need.size) break;
      const entry = { hash: need.hash, data: queue.take(need.size) };
      need = undefined;
      yield entry;
    }
  }
  if (need || queue.length > 0) throw invalidParam('The pack ends in the middle of an entry (the upload was cut short).');
}

/** Bytes received in chunks, taken from the front without re-copying what stays queued. */
class ByteQueue {
  private chunks: Buffer[] = [];
  length = 0;

  push(b: Buffer): void {
    if (b.length === 0) return;
    this.chunks.push(b);
    this.length += b.length;
  }

  take(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let off = 0;
    while (off < n) {
      const head = this.chunks[0]!;
      const k = Math.min(head.length, n - off);
      head.copy(out, off, 0, k);
      off += k;
      if (k === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(k);
    }
    this.length -= n;
    return out;
  }
}
