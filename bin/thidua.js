#!/usr/bin/env node
'use strict';
// The command-line tool; the code is compiled from src/cli into lib/ by `npm run build:cli`.
const fs = require('fs');
const path = require('path');

const entry = path.join(__dirname, '..', 'lib', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('thidua: chưa biên dịch — hãy chạy `npm run build:cli` (not built yet: run `npm run build:cli`).\n');
  process.exit(2);
}
require(entry).run(process.argv.slice(2));
