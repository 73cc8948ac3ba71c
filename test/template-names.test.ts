/**
 * The template's defined names and calculated columns (issues 15 and 9): the .xlsx carries them in
 * its XML, the pane's "Create template" writes the same names and formulas from the same plans,
 * LibreOffice keeps the names and formulas, and templates made before (no names) still rank.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import JSZip from 'jszip';
import { rankGrids } from '../src/core/engine';
import { DEFINED_NAMES, SAVING, SERVICE, SHEETS, INPUT_SHEETS } from '../src/core/format';
import { inputSheetPlans } from '../src/core/template';
import { isFormulaCell } from '../src/core/plan';
import { applyImport, createTemplate } from '../src/excel/actions';
import { readXlsxGrid } from '../src/node/xlsx-read';
import { readXlsxBytes } from '../src/excel/xlsx-grid';
import { workbookBuffer } from '../src/node/xlsx-write';
import { definedNamesOf, gridOf, loadBook, setCell } from './support/hyperformula';
import { bookWith, emptyBook, gridOf as standinGrid, masterContent, runOf, submissionContent } from './support/standin';
import { DEFAULT_CRITERIA, SERVICE_SCORE } from '../src/core/format';
import { columnLetters } from '../src/core/cells';

const ROOT = path.join(__dirname, '..');
const DATE = new Date(Date.UTC(2013, 0, 10));

async function tableParts(buf: Buffer): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(buf);
  const out = new Map<string, string>();
  for (const n of Object.keys(zip.files).filter((x) => /^xl\/tables\/[^/]+\.xml$/.test(x))) {
    const xml = await zip.file(n)!.async('string');
    out.set(/<table\b[^>]*\bname="([^"]*)"/.exec(xml)![1], xml);
  }
  return out;
}

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&amp;/g, '&');

describe('the .xlsx template', () => {
  test('derived columns are calculated columns: calculatedColumnFormula = the first data row\'s formula', async () => {
    const plans = inputSheetPlans({}, { year: 2012 });
    const buf = await workbookBuffer(plans, { date: DATE });
    const tables = await tableParts(buf);
    for (const [table, headers] of [[SAVING.id, ['Tỷ lệ tiết kiệm', 'Đạt ngưỡng']], [SERVICE.id, ['Điểm dịch vụ']]] as const) {
      const xml = tables.get(table)!;
      const plan = plans.flatMap((p) => p.tables).find((t) => t.name === table)!;
      for (const h of headers) {
        const i = plan.columns.findIndex((c) => c.header === h);
        const cell = plan.rows[0][i];
        expect(isFormulaCell(cell)).toBe(true);
        const m = new RegExp(`<tableColumn [^>]*name="${h}"[^>]*><calculatedColumnFormula>([^<]*)</calculatedColumnFormula></tableColumn>`).exec(xml);
        expect(m && unescape(m[1])).toBe(isFormulaCell(cell) ? cell.formula : null);
      }
      // Only derived columns are calculated.
      expect(xml.match(/<calculatedColumnFormula>/g)).toHaveLength(headers.length);
    }
    // Input tables have none.
    for (const t of ['ThongTin', 'CaNhan', 'TieuChi', 'ThamSo', 'GiaiThuong']) expect(tables.get(t)).not.toMatch(/calculatedColumnFormula/);
    // The workbook names the Tiêu chí cells.
    const zip = await JSZip.loadAsync(buf);
    const names = definedNamesOf(await zip.file('xl/workbook.xml')!.async('string'));
    expect([...names.keys()].sort()).toEqual(Object.values(DEFINED_NAMES).sort());
    // And both readers still read it (ExcelJS alone cannot parse tableColumn children).
    const ExcelJS = (await import('exceljs')).default;
    await expect(new ExcelJS.Workbook().xlsx.load(buf as never)).rejects.toThrow(/filterButton/);
    const grid = await readXlsxGrid(buf, 'mau.xlsx');
    // The blank template is a submission's: no council sheet (the master's alone).
    expect(grid.sheets.map((s) => s.name)).toEqual(INPUT_SHEETS.filter((n) => n !== SHEETS.decisions));
    const pane = await readXlsxBytes(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) as ArrayBuffer, 'mau.xlsx');
    expect(pane.sheets).toEqual(grid.sheets);
  });

  test('the pane\'s Create template writes the same names and the same formulas as the .xlsx', async () => {
    const wb = emptyBook();
    await createTemplate(runOf(wb), { kind: 'submission', year: 2012 });
    const plans = inputSheetPlans({}, { year: 2012 });
    const expected = new Map(plans.flatMap((p) => p.names ?? []).map((n) => [n.name, '=' + n.ref]));
    expect(new Map(wb.names.map((n) => [n.name, n.formula]))).toEqual(expected);
    const buf = await workbookBuffer(plans, { date: DATE });
    const book = await loadBook(buf);
    let formulas = 0;
    for (const key of book.formulas) {
      const [sheet, rc] = key.split('!');
      const [r, c] = rc.split(',').map(Number);
      const xlsx = book.hf.getCellFormula({ sheet: book.hf.getSheetId(sheet)!, row: r, col: c });
      expect({ key, pane: wb.sheet(sheet)!.cell(r, c)?.f }).toEqual({ key, pane: xlsx });
      formulas++;
    }
    expect(formulas).toBe(3);
  });
});

test('templates made before the names (no defined names) still read and rank as before', async () => {
  const older = path.join(ROOT, 'test', 'fixtures', 'older', 'pc05-v1-khong-ten.xlsx');
  const olderZip = await JSZip.loadAsync(fs.readFileSync(older));
  expect(definedNamesOf(await olderZip.file('xl/workbook.xml')!.async('string')).size).toBe(0);
  const now = rankGrids([await readXlsxGrid(path.join(ROOT, 'assets', 'examples', 'pc05-quang-nam.xlsx'))]);
  const before = rankGrids([await readXlsxGrid(older)]);
  expect(before.categories).toEqual(now.categories);
  expect(before.totals).toEqual(now.totals);
  expect(now.categories.flatMap((c) => c.entries).length).toBeGreaterThan(10);
  const blank = rankGrids([await readXlsxGrid(path.join(ROOT, 'test', 'fixtures', 'older', 'mau-v1-khong-ten.xlsx'))]);
  expect(blank.categories.flatMap((c) => c.entries)).toEqual([]);
});

const soffice = ['soffice', 'libreoffice'].find((c) => spawnSync(c, ['--version'], { encoding: 'utf8' }).status === 0);
(soffice || process.env.CI ? test : test.skip)('LibreOffice keeps the names and the formulas: recalculated after a threshold change, cells still follow Tiêu chí', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thidua-names-'));
  try {
    const src = path.join(ROOT, 'assets', 'examples', 'pc05-quang-nam.xlsx');
    fs.copyFileSync(src, path.join(dir, 'pc05.xlsx'));
    const r = spawnSync(soffice!, [`-env:UserInstallation=file://${dir}/lo`, '--headless', '--norestore', '--convert-to', 'xlsx', '--outdir', path.join(dir, 'out'), path.join(dir, 'pc05.xlsx')],
      { env: { ...process.env, HOME: dir }, encoding: 'utf8', timeout: 180_000 });
    const out = path.join(dir, 'out', 'pc05.xlsx');
    expect({ converted: fs.existsSync(out), log: fs.existsSync(out) ? '' : r.stderr }).toEqual({ converted: true, log: '' });
    const buf = fs.readFileSync(out);
    const zip = await JSZip.loadAsync(buf);
    const names = definedNamesOf(await zip.file('xl/workbook.xml')!.async('string'));
    const ours = definedNamesOf(await (await JSZip.loadAsync(fs.readFileSync(src))).file('xl/workbook.xml')!.async('string'));
    expect(names).toEqual(ours);
    // LibreOffice drops calculatedColumnFormula (it has no calculated columns); the cells keep formulas.
    const lo = await loadBook(buf);
    const orig = await loadBook(src);
    expect(lo.formulas.size).toBe(orig.formulas.size);
    // Unit threshold 2 %: the recalculated Đạt ngưỡng cells of both files agree with each other.
    // The unit threshold's cell, where the file's own name points.
    const m = /^'(.+)'!\$([A-Z])\$(\d+)$/.exec(names.get(DEFINED_NAMES.unitThreshold)!)!;
    for (const b of [lo, orig]) setCell(b, m[1], Number(m[3]) - 1, m[2].charCodeAt(0) - 65, 0.02);
    const eligibleCol = SAVING.fields.findIndex((f) => f.key === 'eligible');
    const cells = (g: ReturnType<typeof gridOf>) => g.sheets.find((s) => s.name === SAVING.sheet)!.rows.map((row) => row[eligibleCol] ?? null);
    const a = cells(gridOf(lo));
    expect(a).toEqual(cells(gridOf(orig)));
    expect(a.filter((v) => v === false).length).toBeGreaterThan(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 200_000);

test('an import into the master writes the derived formulas of every row, Điểm dịch vụ included', async () => {
  const wb = await bookWith(masterContent([{ code: 'PC01', units: 2 }]));
  const run = runOf(wb);
  await applyImport(run, [{ file: 'pc02.xlsx', grid: await standinGrid(submissionContent('PC02', 3), 'pc02.xlsx') }], []);
  const sheet = wb.sheet(SERVICE.sheet)!;
  const scoreCol = 1 + DEFAULT_CRITERIA.length;
  const letters = { firstCriterion: columnLetters(1), lastCriterion: columnLetters(DEFAULT_CRITERIA.length) };
  const rows = 3 + 4; // PC01 + 2 units, PC02 + 3 units
  for (let i = 0; i < rows; i++) {
    const row = 3 + i; // 0-based: header on row 2
    expect({ row, f: sheet.cell(row, scoreCol)?.f }).toEqual({ row, f: '=' + SERVICE_SCORE.formula!(letters, row + 1) });
  }
});
