/**
 * The .xlsx adapters on real files: plans written by ExcelJS and read back through the reader and
 * the engine; injected text stays text in the raw XML; openpyxl-style absolute relationship
 * targets; the resource caps; files that are not workbooks.
 */
import * as fs from 'fs';
import * as path from 'path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { isoDateToSerial } from '../src/core/cells';
import { validateGrids } from '../src/core/engine';
import {
  AWARDS, CRITERIA, DEFAULT_AWARDS, DEFAULT_CRITERIA, DEFAULT_PARAMS, INDIVIDUAL, INFO, LEVEL, PARAMS, SAVING, SERVICE,
} from '../src/core/format';
import { savingRateOf } from '../src/core/measures';
import type { Issue } from '../src/core/model';
import { readWorkbook } from '../src/core/reader';
import { reportSheetPlan } from '../src/core/sheets';
import { WorkbookContent, inputSheetPlans } from '../src/core/template';
import {
  MAX_ENTRY_BYTES, MAX_FILE_BYTES, MAX_SHEET_ROWS, MAX_UNZIPPED_BYTES, UnreadableFileError, readXlsxGrid,
} from '../src/node/xlsx-read';
import { workbookBuffer, writeWorkbook } from '../src/node/xlsx-write';
import { tempDir } from './support/xlsx-cli';
import { DERIVED_FORMULA, xmlUnescape } from './support/derived';

const INJECTED = ['=HYPERLINK("http://x")', "=cmd|' /C calc'!A0", '+1', '-1', '@SUM(A1)', '=1+1'];

const content: WorkbookContent = {
  info: { companyCode: 'PC05', companyName: 'Công ty Điện lực Quảng Nam', year: 2012, phone: '0235 3812 345', date: '2013-01-10' },
  saving: [
    { unitCode: 'PC05', unitName: 'Công ty Điện lực Quảng Nam', level: LEVEL.company, companyCode: 'PC05', commercial: 1_234_567_890.5, saved: 15_000_000, note: INJECTED[0] },
    { unitCode: 'PC05QN01', unitName: INJECTED[1], level: LEVEL.unit, companyCode: 'PC05', commercial: 500_000_000, saved: 0, note: INJECTED[2] },
    { unitCode: 'PC05QN02', unitName: 'Điện lực Hội An', level: LEVEL.unit, companyCode: 'PC05', commercial: 400_000_000, saved: 4_000_000, note: INJECTED[3] },
  ],
  service: ['PC05', 'PC05QN01', 'PC05QN02'].map((unitCode) => ({ unitCode, values: Object.fromEntries(DEFAULT_CRITERIA.map((c) => [c.code, c.target])) })),
  individuals: [
    { name: INJECTED[4], unitCode: 'PC05QN01', area: 'Tiết kiệm điện', achievement: INJECTED[5], points: 90 },
    { name: 'Nguyễn Thị Lan', unitCode: 'PC05QN02', position: 'Giao dịch viên', area: 'Dịch vụ khách hàng', achievement: 'Giải quyết đúng hạn', points: 88.5 },
  ],
};

let dir: string;
beforeAll(() => { dir = tempDir('thidua-xlsx-'); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

async function sheetXml(file: string): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  const wb = await zip.file('xl/workbook.xml')!.async('string');
  const rels = await zip.file('xl/_rels/workbook.xml.rels')!.async('string');
  const out = new Map<string, string>();
  for (const m of wb.matchAll(/<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"/g)) {
    const target = new RegExp(`Id="${m[2]}"[^>]*Target="([^"]+)"`).exec(rels)![1];
    out.set(m[1], await zip.file(path.posix.join('xl', target.replace(/^\/xl\//, '')))!.async('string'));
  }
  return out;
}

describe('template plans written and read back', () => {
  test('the blank template has all blocks, real tables, the defaults and no structural issue', async () => {
    const file = path.join(dir, 'blank.xlsx');
    await writeWorkbook(inputSheetPlans({}, { year: 2012 }), file);
    const grid = await readXlsxGrid(file);
    expect(grid.file).toBe('blank.xlsx');
    expect(grid.sheets.map((s) => s.name)).toEqual([INFO.sheet, SAVING.sheet, SERVICE.sheet, INDIVIDUAL.sheet, CRITERIA.sheet]);
    const book = readWorkbook(grid);
    const structural = book.issues.filter((i) => ['missing-sheet', 'missing-column', 'bad-config', 'unreadable-file'].includes(i.code));
    expect(structural).toEqual([]);
    expect(book.info.year).toBe(2012);
    expect(book.criteria.ok).toEqual({ criteria: true, companyThreshold: true, unitThreshold: true, minScore: true, awards: true });
    expect(book.criteria.params).toEqual(DEFAULT_PARAMS);
    expect(book.criteria.criteria).toEqual(DEFAULT_CRITERIA);
    expect(book.criteria.awards).toEqual(DEFAULT_AWARDS);
    expect(book.saving).toEqual([]);
    expect(book.individuals).toEqual([]);

    const zip = await JSZip.loadAsync(fs.readFileSync(file));
    const tables = await Promise.all(Object.keys(zip.files).filter((n) => /^xl\/tables\/.*\.xml$/.test(n))
      .map(async (n) => /<table [^>]*name="([^"]+)"/.exec(await zip.file(n)!.async('string'))![1]));
    expect(tables.sort()).toEqual([INFO.id, SAVING.id, SERVICE.id, INDIVIDUAL.id, PARAMS.id, CRITERIA.id, AWARDS.id].sort());
    const xml = await sheetXml(file);
    expect(xml.get(SAVING.sheet)).toMatch(/<dataValidation [^>]*type="list"/);
    expect(xml.get(SAVING.sheet)).toMatch(/state="frozen"/);
    expect(xml.get(SAVING.sheet)).toMatch(/<pageSetup [^>]*paperSize="9"[^>]*orientation="landscape"|<pageSetup [^>]*orientation="landscape"[^>]*paperSize="9"/);
  });

  test('filled content reads back as written, with derived cells cached from the measures', async () => {
    const file = path.join(dir, 'filled.xlsx');
    await writeWorkbook(inputSheetPlans(content), file);
    const grid = await readXlsxGrid(file);
    const ds = validateGrids([grid]);
    expect(ds.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(ds.saving.map((r) => [r.unitCode, r.unitName, r.level, r.commercial, r.saved, r.note]))
      .toEqual(content.saving!.map((r) => [r.unitCode, r.unitName, r.level, r.commercial, r.saved, r.note]));
    expect(ds.individuals.map((r) => [r.name, r.achievement, r.points])).toEqual(content.individuals!.map((r) => [r.name, r.achievement, r.points]));
    const book = readWorkbook(grid);
    expect(book.info.date).toBe('2013-01-10');
    expect(book.info.phone).toBe('0235 3812 345');

    // Derived columns: formula cells whose cached results are what the measures compute,
    // falsy results (0, FALSE) included.
    const sheet = grid.sheets.find((s) => s.name === SAVING.sheet)!;
    const header = sheet.rows.findIndex((r) => r[0] === SAVING.fields[0].header);
    const rateCol = SAVING.fields.findIndex((f) => f.key === 'rate');
    const okCol = SAVING.fields.findIndex((f) => f.key === 'eligible');
    content.saving!.forEach((r, i) => {
      const row = sheet.rows[header + 1 + i];
      expect(row[rateCol]).toBe(savingRateOf(r.saved as number, r.commercial as number));
      expect(row[okCol]).toBe((r.saved as number) / (r.commercial as number) >= DEFAULT_PARAMS.unitThreshold);
    });
    const xml = (await sheetXml(file)).get(SAVING.sheet)!;
    expect(xml).toContain(`<f>${SAVING.fields[rateCol].formula!({ saved: 'F', commercial: 'E' }, header + 2)}</f>`);
  });

  test('text that looks like a formula is written as text: no <f> element, read back unchanged', async () => {
    const file = path.join(dir, 'injected.xlsx');
    await writeWorkbook(inputSheetPlans(content), file);
    const xml = await sheetXml(file);
    const formulas = [...xml.values()].flatMap((x) => [...x.matchAll(/<f>([^<]*)<\/f>/g)].map((m) => m[1]));
    // The only formulas are the derived columns: two per saving row, the score of each service row.
    expect(formulas).toHaveLength(2 * content.saving!.length + Math.max(1, content.service?.length ?? 0));
    expect(formulas.filter((f) => !DERIVED_FORMULA.test(xmlUnescape(f)))).toEqual([]);
    const strings = await (await JSZip.loadAsync(fs.readFileSync(file))).file('xl/sharedStrings.xml')!.async('string');
    const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const shared = [...strings.matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((m) => unescape(m[1]));
    for (const s of INJECTED) expect(shared).toContain(s);
    const grid = await readXlsxGrid(file);
    const values = grid.sheets.flatMap((s) => s.rows.flat());
    for (const s of INJECTED) expect(values).toContain(s);
  });

  test('the same plans and date give the same bytes', async () => {
    const date = new Date(Date.UTC(2013, 0, 15));
    const a = await workbookBuffer(inputSheetPlans(content), { date });
    const b = await workbookBuffer(inputSheetPlans(content), { date });
    expect(a.equals(b)).toBe(true);
  });
});

describe('output sheets', () => {
  test('links to cells are in-workbook locations, with no external relationship; message text stays text', async () => {
    const issues: Issue[] = [{ severity: 'error', file: '', sheet: SAVING.sheet, cell: 'F7', field: 'x', code: 'out-of-range', message: INJECTED[0], messageEn: 'm' }];
    const file = path.join(dir, 'report.xlsx');
    await writeWorkbook([reportSheetPlan(issues, '15/01/2013 08:00', { links: true })], file);
    const zip = await JSZip.loadAsync(fs.readFileSync(file));
    const xml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    expect(xml).toMatch(/<hyperlink ref="[A-Z]+\d+" location="&apos;Tiết kiệm điện&apos;!F7"\/>/);
    expect(xml).not.toMatch(/<f>/);
    const rels = await zip.file('xl/worksheets/_rels/sheet1.xml.rels')!.async('string');
    expect(rels).not.toMatch(/TargetMode="External"/);
    const grid = await readXlsxGrid(file);
    expect(grid.sheets[0].rows.flat()).toContain(INJECTED[0]);
    expect(grid.sheets[0].rows.flat()).toContain('F7');
  });
});

describe('cells as Excel holds them', () => {
  test('errors, cached results, dates, rich text, hyperlinks, merges, hidden rows, shared formulas', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Dữ liệu');
    ws.getCell('B2').value = { formula: '1/0', result: { error: '#DIV/0!' } } as ExcelJS.CellValue;
    ws.getCell('C2').value = { error: '#REF!' } as ExcelJS.CellValue;
    ws.getCell('D2').value = { formula: '0*1', result: 0 } as ExcelJS.CellValue;
    ws.getCell('E2').value = { formula: '1=2', result: false } as ExcelJS.CellValue;
    ws.getCell('F2').value = new Date(Date.UTC(2013, 0, 10));
    ws.getCell('F2').numFmt = 'dd/mm/yyyy';
    ws.getCell('B3').value = { richText: [{ text: 'Điện ' }, { font: { bold: true }, text: 'lực' }] };
    ws.getCell('C3').value = { text: 'trang chủ', hyperlink: 'https://evncpc.vn' };
    ws.getCell('B4').value = 'gộp';
    ws.mergeCells('B4:D4');
    ws.getCell('B5').value = 'ẩn';
    ws.getRow(5).hidden = true;
    ws.getColumn(7).hidden = true;
    ws.getCell('G5').value = 7;
    ws.getCell('B6').value = 1;
    ws.getCell('B7').value = { formula: 'B6+1', result: 2, shareType: 'shared', ref: 'B7:B8' } as ExcelJS.CellValue;
    ws.getCell('B8').value = { sharedFormula: 'B7', result: 3 } as ExcelJS.CellValue;
    const file = path.join(dir, 'cells.xlsx');
    await wb.xlsx.writeFile(file);

    const sheet = (await readXlsxGrid(file)).sheets[0];
    expect(sheet.name).toBe('Dữ liệu');
    expect([sheet.originRow, sheet.originCol]).toEqual([1, 1]);
    const at = (a1: string) => {
      const col = a1.charCodeAt(0) - 65;
      const row = Number(a1.slice(1)) - 1;
      const v = sheet.rows[row - sheet.originRow]?.[col - sheet.originCol];
      return v === undefined ? null : v;
    };
    expect(at('B2')).toEqual({ error: '#DIV/0!' });
    expect(at('C2')).toEqual({ error: '#REF!' });
    expect(at('D2')).toBe(0);
    expect(at('E2')).toBe(false);
    expect(at('F2')).toBe(isoDateToSerial('2013-01-10'));
    expect(at('B3')).toBe('Điện lực');
    expect(at('C3')).toBe('trang chủ');
    expect([at('B4'), at('C4'), at('D4')]).toEqual(['gộp', null, null]);
    expect(at('B5')).toBe('ẩn');
    expect(at('G5')).toBe(7);
    expect([at('B6'), at('B7'), at('B8')]).toEqual([1, 2, 3]);
  });
});

describe('openpyxl-style absolute relationship targets', () => {
  async function absolutize(src: string, dest: string): Promise<void> {
    const zip = await JSZip.loadAsync(fs.readFileSync(src));
    for (const name of Object.keys(zip.files).filter((n) => n.endsWith('.rels') && n.startsWith('xl/'))) {
      const base = path.posix.dirname(path.posix.dirname(name));
      const xml = await zip.file(name)!.async('string');
      zip.file(name, xml.replace(/Target="([^"/][^"]*)"/g, (m, t: string) => (/^https?:/.test(t) ? m : `Target="/${path.posix.join(base, t)}"`)));
    }
    fs.writeFileSync(dest, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  }

  test('crash ExcelJS on their own, and read exactly like the original here', async () => {
    const original = path.join(dir, 'relative.xlsx');
    await writeWorkbook(inputSheetPlans(content), original);
    const absolute = path.join(dir, 'absolute.xlsx');
    await absolutize(original, absolute);
    const rels = await (await JSZip.loadAsync(fs.readFileSync(absolute))).file('xl/worksheets/_rels/sheet2.xml.rels')!.async('string');
    expect(rels).toContain('Target="/xl/tables/');

    await expect(new ExcelJS.Workbook().xlsx.readFile(absolute)).rejects.toThrow();

    const a = await readXlsxGrid(original);
    const b = await readXlsxGrid(absolute);
    expect(b.sheets).toEqual(a.sheets);
  });
});

describe('unreadable input', () => {
  const expectUnreadable = async (p: Promise<unknown>, file: string, words: RegExp) => {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(UnreadableFileError);
    const e = err as UnreadableFileError;
    expect(e.code).toBe('unreadable-file');
    expect(e.message).toContain(`"${file}"`);
    expect(e.messageEn).toContain(`"${file}"`);
    expect(e.message).not.toMatch(/\n/);
    expect(`${e.message} ${e.messageEn}`).toMatch(words);
  };

  test('a missing file, a text file named .xlsx, a truncated zip, a zip that is not a workbook', async () => {
    await expectUnreadable(readXlsxGrid(path.join(dir, 'none.xlsx')), 'none.xlsx', /không tìm thấy/);
    const text = path.join(dir, 'text.xlsx');
    fs.writeFileSync(text, 'Mã đơn vị,Tên đơn vị\nPC05,Quảng Nam\n');
    await expectUnreadable(readXlsxGrid(text), 'text.xlsx', /not a zip/);
    const good = await workbookBuffer(inputSheetPlans(content));
    await expectUnreadable(readXlsxGrid(good.subarray(0, Math.floor(good.length / 2)), 'half.xlsx'), 'half.xlsx', /corrupt|hỏng/);
    const other = new JSZip();
    other.file('readme.txt', 'xin chào');
    await expectUnreadable(readXlsxGrid(await other.generateAsync({ type: 'nodebuffer' }), 'other.xlsx'), 'other.xlsx', /workbook\.xml/);
    await expectUnreadable(readXlsxGrid(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'old.xls'), 'old.xls', /97–2003/);
  });

  test('a file over the size cap is refused before it is opened', async () => {
    const big = path.join(dir, 'big.xlsx');
    const fd = fs.openSync(big, 'w');
    fs.ftruncateSync(fd, MAX_FILE_BYTES + 1);
    fs.closeSync(fd);
    await expectUnreadable(readXlsxGrid(big), 'big.xlsx', /50 MB/);
  });

  test('a sheet over the row cap is refused', async () => {
    const zip = await JSZip.loadAsync(await workbookBuffer(inputSheetPlans({})));
    const name = 'xl/worksheets/sheet2.xml';
    const xml = await zip.file(name)!.async('string');
    const rows: string[] = [];
    for (let r = 100; r < 100 + MAX_SHEET_ROWS; r++) rows.push(`<row r="${r}"><c r="A${r}"><v>1</v></c></row>`);
    zip.file(name, xml.replace('</sheetData>', rows.join('') + '</sheetData>'));
    const buf = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    expect(buf.length).toBeLessThan(MAX_FILE_BYTES);
    await expectUnreadable(readXlsxGrid(buf, 'rows.xlsx'), 'rows.xlsx', new RegExp(MAX_SHEET_ROWS.toLocaleString('en-US')));
  });

  test('a zip bomb is refused: one entry, and all entries together, over their caps', async () => {
    const base = await workbookBuffer(inputSheetPlans({}));
    const one = await JSZip.loadAsync(base);
    one.file('xl/media/image1.bin', Buffer.alloc(MAX_ENTRY_BYTES + 1));
    const oneBuf = await one.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 1 } });
    expect(oneBuf.length).toBeLessThan(MAX_FILE_BYTES);
    await expectUnreadable(readXlsxGrid(oneBuf, 'bomb1.xlsx'), 'bomb1.xlsx', /150 MB/);

    const many = await JSZip.loadAsync(base);
    const chunk = Buffer.alloc(Math.ceil(MAX_UNZIPPED_BYTES / 3) + 1024 * 1024);
    for (let i = 0; i < 3; i++) many.file(`xl/media/image${i}.bin`, chunk);
    const manyBuf = await many.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 1 } });
    await expectUnreadable(readXlsxGrid(manyBuf, 'bomb2.xlsx'), 'bomb2.xlsx', /300 MB/);
  });
});
