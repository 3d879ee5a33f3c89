// A compact node:test reporter: one line per test, failures in full, and a closing count.
// Writes its counts to $CAIRN_TEST_COUNTS (if set) so test/run.mjs can total the layers.
import * as fs from 'node:fs';

export default async function* reporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const failures = [];
  for await (const event of source) {
    if (event.type === 'test:pass' || event.type === 'test:fail') {
      const d = event.data;
      if (d.details?.type === 'suite') continue;
      const ms = d.details?.duration_ms?.toFixed(0) ?? '?';
      const where = d.file ? d.file.replace(process.cwd() + '/', '') : '';
      if (event.type === 'test:pass') {
        if (d.skip || d.todo) {
          skipped++;
          yield `  - SKIPPED ${d.name} (${where})\n`;
        } else {
          passed++;
          yield `  ✔ ${d.name} (${ms} ms)\n`;
        }
      } else {
        failed++;
        const err = d.details?.error;
        const cause = err?.cause ?? err;
        const text = `${cause?.stack ?? cause?.message ?? String(cause)}`;
        failures.push(`✖ ${d.name} (${where})\n${indent(text)}`);
        yield `  ✖ ${d.name} (${ms} ms)\n${indent(text)}\n`;
      }
    } else if (event.type === 'test:diagnostic' && /^(tests|pass|fail|cancelled|skipped|todo|duration_ms|suites) /.test(event.data.message) === false) {
      yield `  # ${event.data.message}\n`;
    } else if (event.type === 'test:stderr' || event.type === 'test:stdout') {
      if (process.env.CAIRN_TEST_VERBOSE) yield event.data.message;
    }
  }
  if (failures.length) yield `\nFailures:\n${failures.join('\n')}\n`;
  if (process.env.CAIRN_TEST_COUNTS) fs.writeFileSync(process.env.CAIRN_TEST_COUNTS, JSON.stringify({ passed, failed, skipped }));
  yield `\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
}

const indent = (s) => s.split('\n').map((l) => `      ${l}`).join('\n');
