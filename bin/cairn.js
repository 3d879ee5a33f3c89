#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write("cairn: the CLI is not built yet; run 'npm run build' first.\n");
  process.exit(1);
}
require(cli)
  .main(process.argv.slice(2))
  .then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`${(err && err.stack) || err}\n`);
      process.exit(1);
    },
  );
