/**
 * The same fixture files drive the engine and the add-in: an example submission loaded into the
 * stand-in validates and ranks exactly as the engine does on the file; a workbook the add-in wrote
 * saves to .xlsx and reads back as the same grid.
 */
import * as fs from 'fs';
import * as path from 'path';
import { rankGrids, validateGrids } from '../src/core/engine';
import { SHEETS } from '../src/core/format';
import { readXlsxGrid } from '../src/node/xlsx-read';
import { rank, validate } from '../src/excel/actions';
import { loadStandin, saveStandin } from './support/standin-xlsx';
import { runOf } from './support/standin';

const EXAMPLES = path.join(__dirname, '..', 'assets', 'examples');
const TMP = path.join(__dirname, '.tmp', 'excel-fixtures');

test('an example file: the add-in on the stand-in agrees with the engine on the file', async () => {
  const file = path.join(EXAMPLES, fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.xlsx')).sort()[0]);
  const fromFile = await readXlsxGrid(file);
  const engine = rankGrids([{ ...fromFile, file: undefined }]);
  for (const blanks of ['empty', 'null'] as const) {
    const wb = await loadStandin(file, { blanks });
    const run = runOf(wb);
    const v = await validate(run, 't');
    expect(v.fingerprint).toBe(validateGrids([{ ...fromFile, file: undefined }]).fingerprint);
    const r = await rank(run, 't');
    expect(r.totals).toEqual(engine.totals);
    expect(r.fingerprint).toBe(engine.fingerprint);
  }
});

test('what the add-in wrote saves to .xlsx and reads back the same', async () => {
  fs.mkdirSync(TMP, { recursive: true });
  const file = path.join(EXAMPLES, fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.xlsx')).sort()[1]);
  const wb = await loadStandin(file);
  await rank(runOf(wb), '2013-01-10 08:00');
  const out = path.join(TMP, 'ranked.xlsx');
  await saveStandin(wb, out);
  const back = await readXlsxGrid(out);
  const ranking = back.sheets.find((s) => s.name === SHEETS.ranking)!;
  // Rows are ragged in one, padded in the other: compare without trailing blanks.
  const trim = (rows: readonly (readonly unknown[])[]) => rows.map((r) => { const a = [...r]; while (a.length && a[a.length - 1] === null) a.pop(); return a; });
  const written = wb.toSheetGrid(wb.sheet(SHEETS.ranking)!);
  expect(ranking.originRow).toBe(written.originRow);
  expect(trim(ranking.rows)).toEqual(trim(written.rows));
  expect(trim(ranking.rows).flat().length).toBeGreaterThan(50);
});
