#!/usr/bin/env node
'use strict';
// Regenerates assets/examples/*.xlsx and assets/mau-bao-cao-thi-dua.xlsx (same bytes every run),
// then reads them back through the real reader and engine to confirm the demo holds exactly its
// headline cases (one error, one tie left to the council) and is otherwise valid.
// Run with `npm run examples` (it compiles lib/ first).
const path = require('path');
const lib = path.join(__dirname, '..', 'lib');
const { writeExamples, demoProblems } = require(path.join(lib, 'node', 'examples.js'));
const { readXlsxGrid } = require(path.join(lib, 'node', 'xlsx-read.js'));
const { rank, validateGrids } = require(path.join(lib, 'core', 'engine.js'));

(async () => {
  const assets = path.join(__dirname, '..', 'assets');
  const { seed, written } = await writeExamples(assets);
  const examples = written.filter((f) => f.includes(`${path.sep}examples${path.sep}`));
  const grids = [];
  for (const f of examples) grids.push(await readXlsxGrid(f));
  const r = rank(validateGrids(grids));
  const problem = demoProblems(r);
  if (problem) throw new Error(`the written examples do not make the demo: ${problem}`);
  for (const f of written) console.log(path.relative(process.cwd(), f));
  console.log(`seed ${seed}; totals ${JSON.stringify(r.totals)}`);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
