/**
 * Payload by measurement: the writer's request-size bounds (COST in src/excel/adapter.ts) against
 * the bytes Microsoft's Excel client really serializes, and every request and response of
 * validate, rank and import under Excel on the web's 5 MB — counted by the test host, which
 * refuses anything over it.
 */
import { SAVING, SHEETS } from '../src/core/format';
import { createTemplate, rank, validate } from '../src/excel/actions';
import { Batch } from '../src/excel/adapter';
import { REQUEST_LIMIT_BYTES, RESPONSE_LIMIT_BYTES, StandinWorkbook, bookWith, emptyBook, masterContent, runOf } from './support/standin';

/** Run `work`, pairing each write request's estimate with the bytes the client sent for it. */
async function paired(wb: StandinWorkbook, work: () => Promise<unknown>): Promise<{ estimate: number; actual: number }[]> {
  const estimates: { estimate: number; request: number }[] = [];
  Batch.onFlush = (estimate) => estimates.push({ estimate, request: wb.requestSizes.length });
  try {
    await work();
  } finally {
    Batch.onFlush = null;
  }
  return estimates.map((e) => ({ estimate: e.estimate, actual: wb.requestSizes[e.request] }));
}

function expectBounded(pairs: { estimate: number; actual: number }[]): void {
  expect(pairs.length).toBeGreaterThan(0);
  for (const p of pairs) {
    expect(p.actual).toBeLessThanOrEqual(p.estimate);
    expect(p.actual).toBeLessThan(REQUEST_LIMIT_BYTES);
  }
}

const savedCol = SAVING.fields.findIndex((f) => f.key === 'saved');

describe('request sizes are bounds on what the real client sends', () => {
  test('the Kiểm tra sheet with 8,000 issues (a hyperlink and a row style each): under 5 MB per request, estimates never low', async () => {
    const wb = await bookWith(masterContent([{ code: 'PC01', units: 4000 }, { code: 'PC02', units: 4000 }]));
    // 8,000 values out of range: one error each.
    const sheet = wb.sheet(SAVING.sheet)!;
    const box = sheet.usedBox(true)!;
    let broken = 0;
    for (let r = box.r0 + 1; r <= box.r1 && broken < 8000; r++) {
      const m = sheet.cell(r, savedCol);
      if (typeof m?.v === 'number' && typeof sheet.cell(r, 0)?.v === 'string' && String(sheet.cell(r, 0)!.v).includes('D')) { m.v = -5; broken++; }
    }
    expect(broken).toBe(8000);
    const pairs = await paired(wb, () => validate(runOf(wb), 't'));
    expectBounded(pairs);
    const report = wb.sheet(SHEETS.report)!;
    expect([...report.cells.values()].filter((m) => m.link).length).toBeGreaterThanOrEqual(8000);
    expect(Math.max(...wb.responseSizes)).toBeLessThan(RESPONSE_LIMIT_BYTES);
    console.log(`Kiểm tra, 8,000 issues: ${pairs.length} write requests, largest ${Math.max(...pairs.map((p) => p.actual))} bytes (estimate ${Math.max(...pairs.map((p) => p.estimate))})`);
  }, 120_000);

  test('the ranking of 10,000 units and the template: estimates never low', async () => {
    const wb = await bookWith(masterContent([{ code: 'PC01', units: 5000 }, { code: 'PC02', units: 5000 }]));
    const pairs = await paired(wb, () => rank(runOf(wb), 't'));
    expectBounded(pairs);
    const book = emptyBook();
    expectBounded(await paired(book, () => createTemplate(runOf(book), { kind: 'master', year: 2012 })));
  }, 120_000);
});
