import assert from 'node:assert/strict';
import { it } from 'node:test';
import { decodePageToken, encodePageToken, normpath, validateAlias, validateKey } from '../../backend/tracking/validate';
import { safeArtifactPath } from '../../backend/artifacts/artifact-paths';

it('normalises paths like Python posixpath.normpath', () => {
  const cases: [string, string][] = [['a/b', 'a/b'], ['a//b', 'a/b'], ['a/./b', 'a/b'], ['a/../b', 'b'], ['../a', '../a'], ['/a/', '/a'], ['', '.'], ['.', '.'], ['//a', '//a'], ['///a', '/a']];
  for (const [input, out] of cases) assert.equal(normpath(input), out, input);
});

it('accepts MLflow metric keys and refuses the rest', () => {
  for (const k of ['loss', 'train/loss', 'a.b-c d:e', 'Genauigkeit', 'x'.repeat(250)]) validateKey(k, 'key');
  for (const k of ['', 'a//b', '/a', 'a/', '../a', './a', 'a/../b', 'a?b', 'x'.repeat(251), 'a\\b']) {
    assert.throws(() => validateKey(k, 'key'), (e: { code?: string }) => e.code === 'INVALID_PARAMETER_VALUE', k);
  }
});

it('applies the alias rules', () => {
  for (const a of ['champion', 'challenger-2', 'v1x']) assert.equal(validateAlias(a), a);
  for (const a of ['latest', 'LATEST', 'v1', 'V22', 'has space', '', 'a'.repeat(256)]) assert.throws(() => validateAlias(a), a);
});

it('round-trips page tokens and refuses forged ones', () => {
  assert.equal(decodePageToken(encodePageToken(1234)), 1234);
  assert.equal(decodePageToken(undefined), 0);
  assert.throws(() => decodePageToken('not-a-token'), /Invalid page token/);
  assert.throws(() => decodePageToken(Buffer.from('{"offset":-1}').toString('base64')), /Invalid page token/);
});

it('refuses artifact paths that traverse, plain or encoded', () => {
  assert.equal(safeArtifactPath('0/r/artifacts/model/a.bin'), '0/r/artifacts/model/a.bin');
  for (const p of ['../x', 'a/../../b', '/etc/passwd', 'a/%2e%2e/b', 'a\\..\\b', 'C:/x', 'a/./b', 'a\0b', '%2e%2e/x']) {
    assert.throws(() => safeArtifactPath(p), (e: { code?: string }) => e.code === 'INVALID_PARAMETER_VALUE', p);
  }
});
