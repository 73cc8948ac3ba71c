/**
 * Where `rank --out` spends its writing time (issue 14): the plans and the lean writer, timed one
 * by one on a submission file (default /tmp/u100k.xlsx, e.g. 100,000 units from
 * test/support/hostile-xlsx's `excelLikeXlsx(submission(100000))`). A diagnostic, not a test.
 *   npx tsc -p scripts/bench/tsconfig.json && node lib/bench/scripts/bench/writer.js FILE [REPS]
 */
import { promises as fs } from 'fs';
import { rank, validateGrids } from '../../src/core/engine';
import { awardListPlan, certificatesPlan } from '../../src/core/awards-print';
import { rankingSheetPlan, reportSheetPlan } from '../../src/core/sheets';
import { readXlsxGrid } from '../../src/node/xlsx-read';
import { leanWorkbookBuffer, leanWorkbookBufferAsync } from '../../src/node/xlsx-lean-write';

const time = <T>(label: string, f: () => T): T => {
  const t = performance.now();
  const r = f();
  console.log(label.padEnd(28), (performance.now() - t).toFixed(0).padStart(6), 'ms');
  return r;
};

async function main(): Promise<void> {
  const file = process.argv[2] ?? '/tmp/u100k.xlsx';
  const reps = Number(process.argv[3] ?? 1);
  const bytes = await fs.readFile(file);
  const t0 = performance.now();
  const grid = await readXlsxGrid(bytes, 'bench.xlsx');
  console.log('read'.padEnd(28), (performance.now() - t0).toFixed(0).padStart(6), 'ms');
  const r = time('validate+rank', () => rank(validateGrids([grid])));
  for (let rep = 0; rep < reps; rep++) {
    console.log('--- rep', rep);
    const madeAt = '01/12/2026 12:00';
    const ranking = time('rankingSheetPlan', () => rankingSheetPlan(r, madeAt));
    const report = time('reportSheetPlan', () => reportSheetPlan(r.issues, madeAt));
    const list = time('awardListPlan+certificates', () => [awardListPlan(r, madeAt), certificatesPlan(r, madeAt)]);
    const a = time('lean [ranking]', () => leanWorkbookBuffer([ranking]));
    const b = time('lean [report]', () => leanWorkbookBuffer([report]));
    const c = time('lean [all four]', () => leanWorkbookBuffer([ranking, ...list, report]));
    const t = performance.now();
    const d = await leanWorkbookBufferAsync([ranking, ...list, report]);
    console.log('lean async [all four]'.padEnd(28), (performance.now() - t).toFixed(0).padStart(6), 'ms');
    console.log('bytes', a.length, b.length, c.length, d.length, 'rss MB', Math.round(process.memoryUsage().rss / 2 ** 20));
  }
}

void main();
