/**
 * The lean writer (src/node/xlsx-lean-write.ts, used for large outputs) against the ExcelJS writer
 * on the real examples: every plan the CLI and the template write, rendered by both, read back by
 * our reader (same grids) and by ExcelJS (same number formats, fonts, fills, alignment, borders,
 * formulas, tables, conditional formats, dropdowns, merges, page setup, hyperlinks, defined names).
 * Then LibreOffice opens a large lean file and a text that looks like a formula stays text.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { rankGrids } from '../src/core/engine';
import type { SheetPlan } from '../src/core/plan';
import { awardListPlan, certificatesPlan } from '../src/core/awards-print';
import { rankingSheetPlan, reportSheetPlan } from '../src/core/sheets';
import { inputSheetPlans } from '../src/core/template';
import { readXlsxGrid } from '../src/node/xlsx-read';
import { leanWorkbookBuffer } from '../src/node/xlsx-lean-write';
import { excelJsWorkbookBuffer, tableName } from '../src/node/xlsx-write';
import { excelLikeXlsx, submission } from './support/hostile-xlsx';
import { BIN, ensureBuilt, exampleFiles, tempDir } from './support/xlsx-cli';

const DATE = new Date(Date.UTC(2026, 0, 15, 8, 0, 0));

async function plansOfExamples(): Promise<SheetPlan[][]> {
  const ranking = rankGrids(await Promise.all(exampleFiles().map((f) => readXlsxGrid(f))));
  const madeAt = '15/01/2026 08:00';
  return [
    [rankingSheetPlan(ranking, madeAt), awardListPlan(ranking, madeAt), certificatesPlan(ranking, madeAt), reportSheetPlan(ranking.issues, madeAt)],
    inputSheetPlans({}, { year: 2026 }),
  ];
}

/** What matters of one cell's look, as ExcelJS reads it back. */
function look(cell: ExcelJS.Cell): unknown {
  const f = cell.font ?? {};
  const fill = cell.fill as ExcelJS.FillPattern | undefined;
  const a = cell.alignment ?? {};
  const b = cell.border ?? {};
  const v = cell.value as { formula?: string; result?: unknown; text?: string; hyperlink?: string } | null;
  return {
    type: cell.type === ExcelJS.ValueType.SharedString ? ExcelJS.ValueType.String : cell.type,
    formula: v && typeof v === 'object' ? v.formula : undefined,
    text: cell.text,
    numFmt: cell.numFmt ?? 'General',
    bold: !!f.bold, italic: !!f.italic, underline: !!f.underline, size: f.size ?? 11,
    color: f.color?.argb, fill: fill?.pattern === 'solid' ? fill.fgColor?.argb : undefined,
    h: a.horizontal, v: a.vertical, wrap: !!a.wrapText, border: !!b.top,
  };
}

/**
 * The workbook as ExcelJS reads it, and the tables' calculated-column formulas: ExcelJS cannot
 * read those back (its table reader fails on them), so they are taken out and compared as text.
 */
async function loadBook(buf: Buffer): Promise<{ wb: ExcelJS.Workbook; calculated: string[] }> {
  const zip = await JSZip.loadAsync(buf);
  const calculated: string[] = [];
  for (const n of Object.keys(zip.files).filter((x) => /^xl\/tables\/[^/]+\.xml$/.test(x))) {
    const xml = await zip.file(n)!.async('string');
    const name = /<table\b[^>]*\bname="([^"]*)"/.exec(xml)?.[1];
    zip.file(n, xml.replace(/<calculatedColumnFormula>([\s\S]*?)<\/calculatedColumnFormula>/g, (_m, f: string) => { calculated.push(`${name}: ${f}`); return ''; }));
  }
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await zip.generateAsync({ type: 'arraybuffer' })));
  return { wb, calculated: calculated.sort() };
}

function sheetFacts(ws: ExcelJS.Worksheet): unknown {
  const tables = Object.values((ws as unknown as { tables: Record<string, { table: { name: string; tableRef: string; columns: { name: string }[] } }> }).tables)
    .map((t) => ({ name: t.table.name, ref: t.table.tableRef, columns: t.table.columns.map((c) => c.name) }));
  const cf = (ws as unknown as { conditionalFormattings: { ref: string; rules: { formulae: string[]; priority: number }[] }[] }).conditionalFormattings
    .map((c) => ({ ref: c.ref, rules: c.rules.map((r) => [r.formulae, r.priority]) }));
  const dv = (ws as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } }).dataValidations.model;
  const p = ws.pageSetup;
  return {
    tables, cf,
    dv: Object.fromEntries(Object.entries(dv).map(([k, v]) => [k, { type: v.type, formulae: v.formulae, errorStyle: v.errorStyle, prompt: v.prompt }])),
    merges: [...((ws as unknown as { _merges: Record<string, { range: string }> })._merges ? Object.keys((ws as unknown as { _merges: object })._merges) : [])].sort(),
    page: { orientation: p.orientation, fitToPage: p.fitToPage, scale: p.scale, printArea: p.printArea, printTitlesRow: p.printTitlesRow, margins: p.margins, centered: p.horizontalCentered },
    header: ws.headerFooter?.oddHeader, footer: ws.headerFooter?.oddFooter,
    views: (ws.views ?? []).map((v) => ({ state: v.state, ySplit: (v as { ySplit?: number }).ySplit })),
    widths: (ws.columns ?? []).map((c) => c.width ?? 9), // 9: ExcelJS's default width
    tab: ws.properties.tabColor?.argb,
    breaks: ((ws as unknown as { rowBreaks?: { id: number }[] }).rowBreaks ?? []).map((b) => b.id),
  };
}

describe('the lean writer gives the same file as the ExcelJS writer on the examples', () => {
  let books: SheetPlan[][];
  beforeAll(async () => { books = await plansOfExamples(); }, 60_000);

  test('same grids read back by our reader, same styles, formulas, tables and page setup by ExcelJS', async () => {
    for (const plans of books) {
      const ref = await excelJsWorkbookBuffer(plans, { date: DATE });
      const lean = leanWorkbookBuffer(plans, { date: DATE });
      const [ga, gb] = [await readXlsxGrid(ref, 'exceljs.xlsx'), await readXlsxGrid(lean, 'lean.xlsx')];
      expect(gb.sheets.map((s) => s.name)).toEqual(ga.sheets.map((s) => s.name));
      expect(JSON.stringify(gb.sheets)).toBe(JSON.stringify(ga.sheets));

      const [la, lb] = [await loadBook(ref), await loadBook(lean)];
      expect(lb.calculated).toEqual(la.calculated);
      const [wa, wb] = [la.wb, lb.wb];
      expect(wb.definedNames.model).toEqual(wa.definedNames.model);
      for (const sa of wa.worksheets) {
        const sb = wb.getWorksheet(sa.name)!;
        expect(sheetFacts(sb)).toEqual(sheetFacts(sa));
        const rows = Math.max(sa.rowCount, sb.rowCount);
        const cols = Math.max(sa.columnCount, sb.columnCount);
        let checked = 0;
        for (let r = 1; r <= rows; r++) {
          expect(sb.getRow(r).height).toEqual(sa.getRow(r).height);
          for (let c = 1; c <= cols; c++) {
            const [ca, cb] = [sa.getCell(r, c), sb.getCell(r, c)];
            if (ca.type === ExcelJS.ValueType.Null && cb.type === ExcelJS.ValueType.Null && !ca.style?.border && !cb.style?.border) continue;
            expect([sa.name, ca.address, look(cb)]).toEqual([sa.name, ca.address, look(ca)]);
            checked++;
          }
        }
        expect(checked).toBeGreaterThan(0);
      }
      // Hyperlinks: the same in-workbook locations (ExcelJS reads `location` back as `#…`).
      const links = async (buf: Buffer) => {
        const zip = await JSZip.loadAsync(buf);
        const out: string[] = [];
        for (const n of Object.keys(zip.files).filter((x) => /^xl\/worksheets\/sheet\d+\.xml$/.test(x)).sort()) {
          const xml = await zip.file(n)!.async('string');
          for (const m of xml.matchAll(/<hyperlink\b[^>]*\bref="([^"]+)"[^>]*\blocation="([^"]+)"/g)) out.push(`${m[1]}→${m[2]}`);
          expect(xml).not.toMatch(/<hyperlink\b[^>]*r:id=/);
        }
        return out.sort();
      };
      expect(await links(lean)).toEqual(await links(ref));
    }
  }, 120_000);

  test('the same plans give the same bytes; text that looks like a formula stays text', () => {
    const plans: SheetPlan[] = [{
      name: 'T', cells: [{ row: 0, col: 0, value: '=1+2' }, { row: 0, col: 1, value: '@SUM(A1)' }],
      tables: [{ name: 'T1', topRow: 2, leftCol: 0, columns: [{ header: 'a' }, { header: 'b' }], rows: [['=HYPERLINK("x")', '+1'], [{ formula: 'A4+1', result: 2 }, -1]] }],
    }];
    const a = leanWorkbookBuffer(plans, { date: DATE });
    expect(leanWorkbookBuffer(plans, { date: DATE }).equals(a)).toBe(true);
    return JSZip.loadAsync(a).then(async (zip) => {
      const xml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
      expect(xml.match(/<f>/g)).toHaveLength(1);
      expect(xml).toContain('<f>A4+1</f><v>2</v>');
      const grid = await readXlsxGrid(a, 't.xlsx');
      expect(grid.sheets[0].rows[0].slice(0, 2)).toEqual(['=1+2', '@SUM(A1)']);
    });
  });

  test('text XML cannot carry is cleaned as the ExcelJS writer cleans it, in table bodies and free cells', async () => {
    // The lean writer skips cellText's regex for plain text: every kind of text that is not plain.
    const odd = ['tab\there', 'line\nbreak\r', 'ctl\u0001\u0008\u000b\u000c\u001f end', 'lone \ud800 high', 'lone \udc00 low', 'pair \ud83d\ude00 ok',
      'nonchar \ufffe\uffff', 'x'.repeat(40_000), 'é'.repeat(32_766) + '\u0001tail', ' lead and trail ', 'Điện lực <&> "q"', 'literal _x000D_ and _x005F_ stay', 'Có', 'Có'];
    const plans: SheetPlan[] = [{
      name: 'T', cells: odd.map((v, i) => ({ row: odd.length + 3 + i, col: 0, value: v })),
      tables: [{ name: 'T1', topRow: 0, leftCol: 0, columns: [{ header: 'a\u0002' }, { header: 'b' }], rows: odd.map((v) => [v, `${v}!`]) }],
    }];
    const leanBytes = leanWorkbookBuffer(plans, { date: DATE });
    const lean = await readXlsxGrid(leanBytes, 'l.xlsx');
    const ref = await readXlsxGrid(await excelJsWorkbookBuffer(plans, { date: DATE }), 'r.xlsx');
    expect(JSON.stringify(lean.sheets)).toBe(JSON.stringify(ref.sheets));
    const rows = lean.sheets[0].rows;
    expect(rows[0][0]).toBe('a');
    expect(rows.slice(1, 1 + odd.length).map((r) => r[0])).toEqual(rows.slice(odd.length + 3).map((r) => r[0]));
    expect(rows[3][0]).toBe('ctl end');
    // A carriage return and a literal `_xHHHH_` come back as written (Excel's `_x000D_`, `_x005F_` escapes).
    expect(rows[2][0]).toBe('line\nbreak\r');
    expect(rows[12][0]).toBe('literal _x000D_ and _x005F_ stay');
    expect(rows[6][0]).toBe('pair \ud83d\ude00 ok');
    expect(rows[8][0]).toBe('x'.repeat(32_767));
    expect(rows[9][0]).toBe('é'.repeat(32_766) + 't');
    // Table bodies carry their text in the cell (inline strings: no shared-strings lookup per cell,
    // spaces at the edges kept); headers and free cells are shared strings, repeated text once.
    const zip = await JSZip.loadAsync(leanBytes);
    const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    expect(sheet.match(/t="inlineStr"/g)).toHaveLength(2 * odd.length);
    expect(sheet).toContain('<is><t xml:space="preserve"> lead and trail </t></is>');
    expect(sheet).toContain('<is><t>Điện lực &lt;&amp;&gt; &quot;q&quot;!</t></is>');
    const sst = await zip.file('xl/sharedStrings.xml')!.async('string');
    expect(sst.match(/<si><t>Có<\/t><\/si>/g)).toHaveLength(1);
    const counts = /count="(\d+)" uniqueCount="(\d+)"/.exec(sst)!;
    expect(Number(counts[1])).toBe(2 + odd.length);
    expect(Number(counts[2])).toBe(2 + odd.length - 1);
  });

  test('table names: thousands of one base get the same names as the one-by-one search', () => {
    const used = new Set<string>();
    const names = Array.from({ length: 3000 }, (_, i) => tableName(i % 3 ? 'XepHang' : 'Other', used));
    const naive = new Set<string>();
    const expected = Array.from({ length: 3000 }, (_, i) => {
      const base = i % 3 ? 'XepHang' : 'Other';
      let n = base;
      for (let k = 2; naive.has(n.toLowerCase()); k++) n = `${base}${k}`;
      naive.add(n.toLowerCase());
      return n;
    });
    expect(names).toEqual(expected);
  });

  test('LibreOffice opens a lean file of 20,000 report rows: every row there', async () => {
    const ranking = rankGrids(await Promise.all(exampleFiles().map((f) => readXlsxGrid(f))));
    const plans = [rankingSheetPlan(ranking, 'x'), reportSheetPlan(ranking.issues, 'x')];
    // Repeat the report table's rows to make the file large.
    const report = plans[1];
    const t = report.tables[0];
    const rows = Array.from({ length: 20_000 }, (_, i) => t.rows[i % t.rows.length]);
    const big: SheetPlan = { ...report, tables: [{ ...t, rows, rowStyles: undefined, links: undefined }, ...report.tables.slice(1)] };
    const dir = tempDir('thidua-lean-');
    try {
      const file = path.join(dir, 'lon.xlsx');
      const bytes = leanWorkbookBuffer([big, plans[0]], { date: DATE });
      fs.writeFileSync(file, bytes);
      // The report's part spans several deflate chunks (1 MB each, laid end to end): CRC checked.
      const zip = await JSZip.loadAsync(bytes, { checkCRC32: true });
      expect((await zip.file('xl/worksheets/sheet1.xml')!.async('nodebuffer')).length).toBeGreaterThan(3 * 2 ** 20);
      const r = spawnSync('soffice', ['-env:UserInstallation=file:///tmp/lo-hp-test', '--headless', '--convert-to', 'csv', '--outdir', dir, file],
        { encoding: 'utf8', timeout: 120_000, env: { ...process.env, HOME: dir } });
      expect(r.status).toBe(0);
      const csv = fs.readFileSync(path.join(dir, 'lon.csv'), 'utf8');
      // The first sheet (the report) as CSV: every one of its 20,000 table rows and the header.
      expect(csv.trimEnd().split('\n').length).toBeGreaterThanOrEqual(20_001 + t.topRow);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  test('rank --out of 20,000 units: a child process under 1 GB peak, every unit in the written ranking', async () => {
    ensureBuilt();
    const dir = tempDir('thidua-lean-cli-');
    try {
      const file = path.join(dir, 'pc05-20k.xlsx');
      const out = path.join(dir, 'xep-hang.xlsx');
      fs.writeFileSync(file, await excelLikeXlsx(submission(20_000)));
      const started = Date.now();
      const r = spawnSync('/usr/bin/time', ['-v', process.execPath, BIN, 'rank', file, '--out', out], { encoding: 'utf8', maxBuffer: 1 << 28 });
      const ms = Date.now() - started;
      const rssKB = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
      expect(r.status).not.toBe(2);
      expect(rssKB / 1024).toBeLessThan(1024);
      // ExcelJS took 22 s for this file on the shared machine; a generous bound for a loaded CI.
      expect(ms).toBeLessThan(60_000);
      const grid = await readXlsxGrid(out);
      const ranking = grid.sheets.find((s) => s.name === 'Xếp hạng')!;
      const codes = new Set(ranking.rows.flatMap((row) => row.filter((v): v is string => typeof v === 'string' && /^PC05U\d+$/.test(v))));
      expect(codes.size).toBe(20_000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
