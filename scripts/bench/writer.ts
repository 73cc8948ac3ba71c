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
import { leanWorkbookBuffer } from '../../src/node/xlsx-lean-write';

// Wall and CPU time (user + system, all threads): on a busy machine the CPU time is the steadier.
const cpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const report = (label: string, t: number, c: number): void => {
  console.log(label.padEnd(28), (performance.now() - t).toFixed(0).padStart(6), 'ms wall', (cpu() - c).toFixed(0).padStart(6), 'ms cpu');
};
const time = <T>(label: string, f: () => T): T => {
  const t = performance.now();
  const c = cpu();
  const r = f();
  report(label, t, c);
  return r;
};

async function main(): Promise<void> {
  const file = process.argv[2] ?? '/tmp/u100k.xlsx';
  const reps = Number(process.argv[3] ?? 1);
  const bytes = await fs.readFile(file);
  const t0 = performance.now();
  const c0 = cpu();
  const grid = await readXlsxGrid(bytes, 'bench.xlsx');
  report('read', t0, c0);
  const r = time('validate+rank', () => rank(validateGrids([grid])));
  for (let rep = 0; rep < reps; rep++) {
    console.log('--- rep', rep);
    const madeAt = '01/12/2026 12:00';
    const ranking = time('rankingSheetPlan', () => rankingSheetPlan(r, madeAt));
    const reportPlan = time('reportSheetPlan', () => reportSheetPlan(r.issues, madeAt));
    const list = time('awardListPlan+certificates', () => [awardListPlan(r, madeAt), certificatesPlan(r, madeAt)]);
    const a = time('lean [ranking]', () => leanWorkbookBuffer([ranking]));
    const b = time('lean [report]', () => leanWorkbookBuffer([reportPlan]));
    const c = time('lean [all four]', () => leanWorkbookBuffer([ranking, ...list, reportPlan]));
    console.log('bytes', a.length, b.length, c.length, 'rss MB', Math.round(process.memoryUsage().rss / 2 ** 20));
  }
}

void main();
