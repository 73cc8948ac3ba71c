/**
 * Issue 9: what Microsoft's Excel client library and a strict host show about the add-in — each
 * item with a test on the host that fails on the code before the fix.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CRITERIA, INPUT_SHEETS, SAVING, SHEETS } from '../src/core/format';
import { validateGrids } from '../src/core/engine';
import { applyImport, createTemplate, prepareImport, rank, validate } from '../src/excel/actions';
import { ImportWriteError, UserError, readWorkbookGrid, writeRows } from '../src/excel/adapter';
import {
  REQUIREMENTS, SheetModel, StandinError, StandinWorkbook, bookWith, contextOf, emptyBook, gridOf, highestSetUsed, masterContent,
  runOf, shiftFormula, submissionContent,
} from './support/standin';

const ROOT = path.resolve(__dirname, '..');
const snapshotInputs = (wb: StandinWorkbook) => INPUT_SHEETS.map((n) => wb.snapshot(n)).join('\n');
const overlaps = (a: { r0: number; c0: number; r1: number; c1: number }, b: { r0: number; c0: number; r1: number; c1: number }) =>
  !(a.r1 < b.r0 || a.r0 > b.r1 || a.c1 < b.c0 || a.c0 > b.c1);

describe('1. dropdowns stay on their own table', () => {
  test('no list rule of TieuChi reaches the GiaiThuong table (or any other table) below it', async () => {
    const wb = emptyBook();
    await createTemplate(runOf(wb), { kind: 'master', year: 2012 });
    const sheet = wb.sheet(CRITERIA.sheet)!;
    const tables = wb.tables.filter((t) => t.sheet === sheet);
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['TieuChi', 'GiaiThuong']));
    expect(sheet.validations.length).toBeGreaterThan(0);
    for (const v of sheet.validations) {
      const own = tables.filter((t) => overlaps(v, { ...t, r0: t.r0 }));
      // A rule may cover its own table's rows and the blank rows below, never another table's cells.
      expect(own.length).toBeLessThanOrEqual(1);
    }
    const prizes = tables.find((t) => t.name === 'GiaiThuong')!;
    expect(sheet.validations.filter((v) => overlaps(v, prizes) && v.c0 < prizes.c0 + 99).every((v) => v.r0 > prizes.r0)).toBe(true);
  });
});

describe('2. requirement sets: declared in the manifest, guarded below it', () => {
  test('every member the add-in uses is within the ExcelApi version the manifest declares', async () => {
    const manifest = fs.readFileSync(path.join(ROOT, 'manifest.xml'), 'utf8');
    const declared = /<Set Name="ExcelApi" MinVersion="([\d.]+)"/.exec(manifest)?.[1];
    expect(declared).toBe('1.13');
    const wb = emptyBook();
    const run = runOf(wb);
    await createTemplate(run, { kind: 'master', year: 2012 });
    await applyImport(run, [{ file: 'pc05.xlsx', grid: await gridOf(submissionContent('PC05', 4, 2), 'pc05.xlsx') }], []);
    await validate(run, 't');
    await rank(run, 't');
    const used = highestSetUsed(wb);
    expect(used.version).toBe(1.13); // Table.resize is the newest member; nothing needs more than the manifest asks
    expect(used.members).toEqual(['Table.Resize']);
    expect(REQUIREMENTS['Table.Resize']).toBe(1.13);
  });

  test('a host with ExcelApi 1.12: the import refuses before writing anything; validate and rank work', async () => {
    const wb = await bookWith(masterContent([{ code: 'PC01', units: 3 }]), { excelApi: '1.12' });
    const run = runOf(wb);
    const before = snapshotInputs(wb);
    const sub = { file: 'pc05.xlsx', grid: await gridOf(submissionContent('PC05', 3), 'pc05.xlsx') };
    const err = await applyImport(run, [sub], []).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err).not.toBeInstanceOf(ImportWriteError);
    expect((err as UserError).vi).toMatch(/ExcelApi 1\.13.*không nhập gì/);
    expect((err as UserError).en).toMatch(/ExcelApi 1\.13.*nothing was imported/);
    expect(snapshotInputs(wb)).toBe(before);
    await validate(run, 't');
    await rank(run, 't');
    expect(wb.sheet(SHEETS.ranking)).toBeDefined();
  });

  test('on a 1.12 host Microsoft\'s client sends Table.resize anyway and Excel fails the request (the reason for the guard)', async () => {
    const wb = await bookWith(masterContent([{ code: 'PC01', units: 2 }]), { excelApi: '1.12' });
    const ctx = contextOf(wb);
    ctx.workbook.tables.getItem('TietKiemDien').resize(`'${SAVING.sheet}'!A3:I9`);
    await expect(ctx.sync()).rejects.toMatchObject({ code: 'ApiNotFound' });
  });
});

describe('3. import is all or nothing for real', () => {
  const master = () => bookWith(masterContent([{ code: 'PC01', units: 40 }, { code: 'PC02', units: 30 }]));
  const replacement = async () => ({ file: 'pc01.xlsx', grid: await gridOf(submissionContent('PC01', 600, 40), 'pc01.xlsx') });
  const addition = async () => ({ file: 'pc05.xlsx', grid: await gridOf(submissionContent('PC05', 600, 40), 'pc05.xlsx') });

  /** The import's writes with a small request budget (several requests), failing part-way through request `k`. */
  async function importFailingInside(wb: StandinWorkbook, files: { file: string; grid: ReturnType<typeof gridOf> extends Promise<infer G> ? G : never }[], confirmed: string[], k: (n: number) => number) {
    const run = runOf(wb);
    const plan = await prepareImport(run, files);
    // How many write requests at this budget.
    const probe = await bookWith(masterContent([{ code: 'PC01', units: 40 }, { code: 'PC02', units: 30 }]));
    const budget = 150_000;
    const writes = await runOf(probe)(async (ctx) => writeRows(ctx, plan.writes, await readWorkbookGrid(ctx, { originals: true }), budget));
    expect(writes).toBeGreaterThanOrEqual(3);
    const target = k(writes);
    const base = wb.syncCount;
    wb.beforeAction = ({ request, member }) => {
      // The read is request 1; write request j is request 1 + j. Fail at its first values: its
      // number formats (and any resize) are already applied when it fails.
      if (request - base === 1 + target && member === 'Values') throw new StandinError('GeneralException', 'the connection dropped part-way');
    };
    try {
      return await run(async (ctx) => writeRows(ctx, plan.writes, await readWorkbookGrid(ctx, { originals: true }), budget)).then(() => null, (e: unknown) => e);
    } finally {
      wb.beforeAction = null;
    }
  }

  test.each([['the first', () => 1], ['a middle', (n: number) => Math.ceil(n / 2)], ['the last', (n: number) => n]] as const)(
    'a request failing part-way, in %s write request: every row is put back, tables resized back, the message says nothing changed', async (_, which) => {
      for (const [files, confirmed] of [[[await addition()], []], [[await replacement()], ['PC01']]] as const) {
        const wb = await master();
        const before = snapshotInputs(wb);
        const tables = JSON.stringify(wb.tables.map((t) => [t.name, t.r0, t.r1]));
        const err = await importFailingInside(wb, [...files], [...confirmed], which);
        expect(err).toBeInstanceOf(ImportWriteError);
        expect((err as ImportWriteError).restored).toBe(true);
        expect((err as ImportWriteError).en).toMatch(/part-way.*rolled back.*nothing changed/);
        expect(JSON.stringify(wb.tables.map((t) => [t.name, t.r0, t.r1]))).toBe(tables);
        expect(snapshotInputs(wb)).toBe(before);
      }
    }, 120_000);

  test('a protected input sheet: refused before anything is written, naming the sheet (vi/en)', async () => {
    const wb = await master();
    wb.sheet(SAVING.sheet)!.protected = true;
    const before = snapshotInputs(wb);
    wb.syncCount = 0;
    const err = await applyImport(runOf(wb), [await addition()], []).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).vi).toContain(`"${SAVING.sheet}"`);
    expect((err as UserError).vi).toMatch(/bảo vệ.*không nhập gì/);
    expect((err as UserError).en).toMatch(/protected.*nothing was imported/);
    expect(wb.syncCount).toBe(1); // the read only
    expect(snapshotInputs(wb)).toBe(before);
  });

  test('the host: a protected sheet refuses writes', async () => {
    const wb = emptyBook();
    wb.sheets[0].protected = true;
    const ctx = contextOf(wb);
    ctx.workbook.worksheets.getItem('Sheet1').getRange('A1').values = [['x']];
    await expect(ctx.sync()).rejects.toMatchObject({ code: 'AccessDenied' });
    expect(wb.sheets[0].cells.size).toBe(0);
  });

  test('the host: a snapshot is the same after a formula is overwritten and set again, and differs when it is lost', async () => {
    const wb = emptyBook();
    const ctx = contextOf(wb);
    const cell = () => ctx.workbook.worksheets.getItem('Sheet1').getRange('A1');
    cell().numberFormat = [['0.00%']];
    cell().formulas = [['=B1/C1']];
    cell().format.verticalAlignment = 'Center';
    await ctx.sync();
    const before = wb.snapshot('Sheet1');
    cell().values = [[5]]; // a value clears the formula…
    await ctx.sync();
    expect(wb.snapshot('Sheet1')).not.toBe(before);
    cell().formulas = [['=B1/C1']]; // …and the rollback's formula puts the same cell back
    await ctx.sync();
    expect(wb.snapshot('Sheet1')).toBe(before);
    cell().values = [['']];
    await ctx.sync();
    expect(wb.snapshot('Sheet1')).not.toBe(before);
  });
});

describe('6 and 9. what Excel documents, as it documents it', () => {
  test('list validations warn (errorAlert Warning) rather than stop', async () => {
    const wb = emptyBook();
    await createTemplate(runOf(wb), { kind: 'master', year: 2012 });
    const lists = wb.sheets.flatMap((s) => s.validations.filter((v) => JSON.stringify(v.rule).includes('"list"')));
    expect(lists.length).toBeGreaterThan(3);
    for (const v of lists) expect(v.errorAlert).toMatchObject({ showAlert: true, style: 'Warning' });
  });

  test('the host refuses a single number format for many cells; the add-in sends 2-D arrays', async () => {
    const wb = emptyBook();
    const ctx = contextOf(wb);
    ctx.workbook.worksheets.getItem('Sheet1').getRange('A1:A3').numberFormat = '@' as unknown as string[][];
    await expect(ctx.sync()).rejects.toMatchObject({ code: 'InvalidArgument' });
    const book = await bookWith(masterContent([{ code: 'PC01', units: 20 }]));
    // The input sheets print one page wide (the ranking prints at a fixed readable scale).
    expect(book.sheet(SHEETS.saving)!.page.zoom).toEqual({ horizontalFitToPages: 1, verticalFitToPages: null });
    await rank(runOf(book), 't');
    expect(book.sheet(SHEETS.ranking)!.page.zoom).toEqual({ scale: 90 });
  });

  test('the manifest: no AppDomain equal to the source origin; support and learn-more pages that work outside Office', () => {
    const manifest = fs.readFileSync(path.join(ROOT, 'manifest.xml'), 'utf8');
    const origin = /<SourceLocation DefaultValue="(https:\/\/[^/"]+)/.exec(manifest)![1];
    expect(manifest).not.toContain(`<AppDomain>${origin}</AppDomain>`);
    const support = /<SupportUrl DefaultValue="([^"]+)"/.exec(manifest)![1];
    const learn = /<bt:Url id="GetStarted.LearnMoreUrl" DefaultValue="([^"]+)"/.exec(manifest)![1];
    for (const url of [support, learn]) {
      expect(url).not.toMatch(/taskpane\.html/);
      const page = fs.readFileSync(path.join(ROOT, 'assets', path.basename(url)), 'utf8');
      expect(page).not.toMatch(/office\.js|Office\.onReady/); // a plain page: it does not need Office
      expect(page).toMatch(/Thi đua EVNCPC/);
    }
  });
});

describe('templates that keep working after the add-in leaves', () => {
  test('derived columns are table calculated columns: rows added later get the EVN formulas', async () => {
    const wb = emptyBook();
    await createTemplate(runOf(wb), { kind: 'master', year: 2012 });
    const table = wb.tables.find((t) => t.name === SAVING.id)!;
    const derived = SAVING.fields.map((f, i) => ({ f, i })).filter(({ f }) => f.type === 'derived' && f.formula);
    expect(derived.length).toBeGreaterThan(0);
    for (const { i } of derived) expect(table.calculated.get(i)).toMatch(/^=.*\bEVN\./);
    // An import grows the table: the new rows carry the formulas.
    await applyImport(runOf(wb), [{ file: 'pc05.xlsx', grid: await gridOf(submissionContent('PC05', 5), 'pc05.xlsx') }], []);
    const sheet = wb.sheet(SAVING.sheet)!;
    for (const { i } of derived) {
      const first = sheet.cell(table.r0 + 1, table.c0 + i)?.f;
      const last = sheet.cell(table.r1, table.c0 + i)?.f;
      expect(first).toMatch(/^=.*\bEVN\./);
      expect(last).toBe(shiftFormula(table.calculated.get(i)!, table.r1 - table.r0 - 1));
    }
    // An accountant adds a row in Excel (table.rows.add): it gets them too.
    const ctx = contextOf(wb);
    ctx.workbook.tables.getItem(SAVING.id).rows.add(undefined, undefined);
    await ctx.sync();
    for (const { i } of derived) expect(sheet.cell(table.r1, table.c0 + i)?.f).toMatch(/^=.*\bEVN\./);
    expect(validateGrids([wb.toGrid()]).issues.filter((x) => x.code === 'missing-column')).toEqual([]);
  });

  test('"Create template" in a new workbook removes the empty Sheet1, and only when it is empty', async () => {
    // A submission has no council sheet (the master's alone).
    const SUBMISSION_SHEETS = INPUT_SHEETS.filter((n) => n !== SHEETS.decisions);
    const fresh = emptyBook();
    await createTemplate(runOf(fresh), { kind: 'submission', year: 2012 });
    expect(fresh.sheets.map((s) => s.name)).toEqual(SUBMISSION_SHEETS);
    expect(fresh.syncCount).toBe(1 + SUBMISSION_SHEETS.length);
    const used = emptyBook();
    used.sheets[0].touch(4, 2).v = 'ghi chú';
    await createTemplate(runOf(used), { kind: 'submission', year: 2012 });
    expect(used.sheets.map((s) => s.name)).toEqual(['Sheet1', ...SUBMISSION_SHEETS]);
    const formatted = emptyBook();
    formatted.sheets[0].touch(0, 0).fill = '#FFFF00';
    await createTemplate(runOf(formatted), { kind: 'submission', year: 2012 });
    expect(formatted.sheet('Sheet1')).toBeInstanceOf(SheetModel);
  });
});
