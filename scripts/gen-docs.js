#!/usr/bin/env node
// Writes docs/format.md from the format definition (compiled to lib/ by `npm run build:cli`).
const fs = require('fs');
const path = require('path');
const { formatReference } = require('../lib/core/docs.js');
const out = path.join(__dirname, '..', 'docs', 'format.md');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, formatReference());
console.log(`đã ghi / wrote ${path.relative(process.cwd(), out)}`);
