import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SseParser } from '../../../backend/client/sse-parser';

test('events split across chunks at any byte are reassembled', () => {
  const text = 'retry: 2000\n\n: keep-alive\n\nid: 7\nevent: run.created\ndata: {"a":1}\n\nid: 8\ndata: line1\ndata: line2\n\n';
  for (let cut = 0; cut < text.length; cut++) {
    const p = new SseParser();
    const out = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
    assert.deepEqual(out, [
      { event: 'run.created', data: '{"a":1}', id: '7' },
      { event: 'message', data: 'line1\nline2', id: '8' },
    ], `cut at ${cut}`);
    assert.equal(p.retryMs, 2000);
  }
});

test('CRLF and CR line endings, a split CRLF, and fields without a space', () => {
  const p = new SseParser();
  assert.deepEqual(p.push('data:x\r'), []);
  assert.deepEqual(p.push('\n\r\n'), [{ event: 'message', data: 'x', id: undefined }]);
  // A trailing lone CR may be half of a CRLF: the parser waits for the next byte.
  assert.deepEqual(p.push('event:resync\rdata:{}\r\r'), []);
  assert.deepEqual(p.push('\n'), [{ event: 'resync', data: '{}', id: undefined }]);
});

test('an event without data is not dispatched; the id persists to later events', () => {
  const p = new SseParser();
  assert.deepEqual(p.push('id: 3\nevent: x\n\ndata: y\n\n'), [{ event: 'message', data: 'y', id: '3' }]);
});
