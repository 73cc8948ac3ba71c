#!/usr/bin/env node
'use strict';
// Regenerates test/fixtures/bad/*.xlsx and expected.json (the same bytes every run) from
// src/node/bad-fixtures.ts. Run `npm run build:cli && node scripts/make-bad-fixtures.js`.
const path = require('path');
const { writeBadFixtures } = require(path.join(__dirname, '..', 'lib', 'node', 'bad-fixtures.js'));

writeBadFixtures(path.join(__dirname, '..', 'test', 'fixtures', 'bad'))
  .then((written) => { for (const f of written) console.log(path.relative(process.cwd(), f)); })
  .catch((e) => { console.error(e); process.exit(1); });
