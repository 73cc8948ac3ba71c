/**
 * The workbook agrees with itself (issue 15): every derived cell of the template, of every example
 * and of every readable corpus file, recalculated by a real formula engine (HyperFormula, with the
 * production `EVN.*` functions) after `Tiêu chí` changes, equals what the ranking uses for that row:
 * the saving rate, the eligibility, the service score. Blank cells are passed as on the web (null)
 * and as on the desktop (0); both give the same cells.
 */
import { readdirSync } from 'fs';
import { join } from 'path';
import { CellValue, WorkbookGrid, isCellError, matchKey } from '../src/core/cells';
import { rankGrids, validateGrids } from '../src/core/engine';
import { CRITERIA, DEFINED_NAMES, DIRECTION, KEY_HEADER, LEVEL, PARAMS, SAVING, SERVICE, SERVICE_SCORE, VALUE_HEADER } from '../src/core/format';
import type { Issue } from '../src/core/model';
import { findSheet, readWorkbook } from '../src/core/reader';
import { inputSheetPlans } from '../src/core/template';
import { workbookBuffer } from '../src/node/xlsx-write';
import { readXlsxGrid } from '../src/node/xlsx-read';
import { Blanks, LoadedBook, gridOf, loadBook, setCell } from './support/hyperformula';

const root = join(__dirname, '..');
const examples = readdirSync(join(root, 'assets', 'examples')).filter((f) => f.endsWith('.xlsx')).sort().map((f) => join(root, 'assets', 'examples', f));
const corpus = readdirSync(join(root, 'test', 'fixtures', 'bad')).filter((f) => f.endsWith('.xlsx')).sort().map((f) => join(root, 'test', 'fixtures', 'bad', f));
const template = join(root, 'assets', 'mau-bao-cao-thi-dua.xlsx');

/** A change to `Tiêu chí`, applied to the recalculated book through cells the reader located. */
interface Variant {
  readonly name: string;
  readonly params?: Partial<Record<'companyThreshold' | 'unitThreshold' | 'minScore', number>>;
  /** Criterion index → new target / weight / direction. */
  readonly criteria?: ReadonlyArray<{ readonly index: number; readonly target?: number; readonly weight?: number; readonly direction?: string }>;
}

const VARIANTS: readonly Variant[] = [
  { name: 'as written' },
  { name: 'thresholds 1,5 % / 1,2 %', params: { companyThreshold: 0.015, unitThreshold: 0.012 } },
  { name: 'company 0,8 %, unit 2 %', params: { companyThreshold: 0.008, unitThreshold: 0.02 } },
  { name: 'threshold 0', params: { companyThreshold: 0, unitThreshold: 0 } },
  // Weights still sum to 100 (else bad-config and nothing is scored): 25 ↔ 15 between two criteria.
  { name: 'a weight, a target, a direction', criteria: [{ index: 0, weight: 15, target: 3 }, { index: 1, weight: 25, direction: DIRECTION.higher }] },
  { name: 'minimum score 80', params: { minScore: 80 } },
];

/** Where the reader finds the `Tiêu chí` cells a variant changes (0-based, on the sheet). */
interface PolicyCells {
  readonly params: Partial<Record<string, { row: number; col: number }>>;
  readonly criteria: ReadonlyArray<Record<'target' | 'weight' | 'direction', { row: number; col: number }>>;
}

function a1ToRowCol(a1: string): { row: number; col: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(a1)!;
  let col = 0;
  for (const ch of m[1]) col = col * 26 + ch.charCodeAt(0) - 64;
  return { row: Number(m[2]) - 1, col: col - 1 };
}

function policyCells(grid: WorkbookGrid): PolicyCells {
  const book = readWorkbook(grid);
  const sheet = findSheet(grid, CRITERIA.sheet)!;
  const at = (r: number, c: number): CellValue => sheet.rows[r - sheet.originRow]?.[c - sheet.originCol] ?? null;
  const params: Record<string, { row: number; col: number }> = {};
  const tp = book.criteria.anchors.ThamSo;
  if (tp) {
    const h = a1ToRowCol(tp);
    let valueCol = h.col + 1;
    for (let c = h.col; c < h.col + 10; c++) if (typeof at(h.row, c) === 'string' && matchKey(at(h.row, c) as string) === matchKey(VALUE_HEADER)) valueCol = c;
    for (let r = h.row + 1; r < h.row + 10; r++) {
      const key = at(r, h.col);
      const f = PARAMS.fields.find((x) => typeof key === 'string' && matchKey(key) === matchKey(x.header));
      if (f) params[f.key] = { row: r, col: valueCol };
    }
    expect(matchKey(String(at(h.row, h.col)))).toBe(matchKey(KEY_HEADER));
  }
  const criteria: Record<'target' | 'weight' | 'direction', { row: number; col: number }>[] = [];
  const tc = book.criteria.anchors.TieuChi;
  if (tc) {
    const h = a1ToRowCol(tc);
    const colOf = (key: string) => {
      const header = matchKey(CRITERIA.fields.find((f) => f.key === key)!.header);
      for (let c = h.col; c < h.col + 20; c++) if (typeof at(h.row, c) === 'string' && matchKey(at(h.row, c) as string) === header) return c;
      throw new Error(`no ${key} column`);
    };
    const cols = { target: colOf('target'), weight: colOf('weight'), direction: colOf('direction') };
    for (let i = 0; i < book.criteria.criteria.length; i++) {
      const row = h.row + 1 + i;
      criteria.push({ target: { row, col: cols.target }, weight: { row, col: cols.weight }, direction: { row, col: cols.direction } });
    }
  }
  return { params, criteria };
}

function apply(book: LoadedBook, cells: PolicyCells, v: Variant): void {
  for (const [k, value] of Object.entries(v.params ?? {})) {
    const at = cells.params[k];
    if (at) setCell(book, CRITERIA.sheet, at.row, at.col, value as number);
  }
  for (const c of v.criteria ?? []) {
    const at = cells.criteria[c.index];
    if (!at) continue;
    if (c.target !== undefined) setCell(book, CRITERIA.sheet, at.target.row, at.target.col, c.target);
    if (c.weight !== undefined) setCell(book, CRITERIA.sheet, at.weight.row, at.weight.col, c.weight);
    if (c.direction !== undefined) setCell(book, CRITERIA.sheet, at.direction.row, at.direction.col, c.direction);
  }
}

interface Checked {
  /** Rate cells that agree with the ranking: its rate, or the error of a row it leaves out. */
  rates: number;
  /** Units the ranking leaves out for their kWh, whose derived cells show the matching error. */
  readonly excluded: string[];
  eligible: number;
  scores: number;
  formulaRows: number;
  /** Every derived cell, for comparing blank modes. */
  readonly cells: string[];
}

/**
 * The errors functions.md gives a saving-rate cell for the kWh problems the validator names on its
 * row (`issues` on the commercial/saved cells of `row`), or null when it names none: an error value
 * in an input is passed through, a negative kWh or saved > commercial is #NUM!, text that is not a
 * number #VALUE!, a blank commercial #DIV/0!.
 */
function kwhErrors(issues: readonly Issue[], sheet: string, row: number, cols: { commercial: number; saved: number }, at: (col: number) => CellValue): { errors: Set<string>; fields: string[] } | null {
  const found = issues.filter((i) => {
    if (i.severity !== 'error' || matchKey(i.sheet) !== matchKey(sheet) || !/^[A-Z]+\d+$/.test(i.cell)) return false;
    const p = a1ToRowCol(i.cell);
    return p.row === row && (p.col === cols.commercial || p.col === cols.saved);
  });
  if (!found.length) return null;
  const errors = new Set<string>();
  for (const i of found) {
    const col = a1ToRowCol(i.cell).col;
    const input = at(col);
    if (isCellError(input)) errors.add(input.error);
    else if (i.code === 'out-of-range') errors.add('#NUM!');
    else if (i.code === 'type-error') errors.add('#VALUE!');
    else if (i.code === 'missing-value' && col === cols.commercial) errors.add('#DIV/0!');
  }
  return { errors, fields: found.map((i) => i.field) };
}

/**
 * Recalculate, rank the recalculated workbook, and compare each derived formula cell with the
 * ranking's value for its row. A row the ranking leaves out for bad kWh (no rate, no rank) must
 * show the error the functions give for that data in both derived cells, never a rate.
 */
function check(book: LoadedBook, file: string): Checked {
  const grid = gridOf(book, file);
  const ds = validateGrids([grid]);
  const ranking = rankGrids([grid]);
  const entry = (cat: string, code: string) => ranking.categories.find((c) => c.id === cat)?.entries.find((e) => e.code === code);
  const out: Checked = { rates: 0, excluded: [], eligible: 0, scores: 0, formulaRows: 0, cells: [] };
  const sheetOf = (name: string) => grid.sheets.find((s) => matchKey(s.name) === matchKey(name));
  const saving = sheetOf(SAVING.sheet);
  for (const u of ds.saving) {
    if (!saving || !u.unitCode || (u.level !== LEVEL.company && u.level !== LEVEL.unit)) continue;
    const kind = u.level === LEVEL.company ? 'company' : 'unit';
    const e = entry(`${kind}-saving`, u.unitCode);
    if (!e) continue;
    const rateCol = u.origin.cols.rate;
    const eligibleCol = u.origin.cols.eligible;
    const isFormula = (col: number | undefined) => col !== undefined && book.formulas.has(`${saving.name}!${u.origin.row},${col}`);
    const cell = (col: number) => saving.rows[u.origin.row]?.[col] ?? null;
    const shown = (v: CellValue) => (isCellError(v) ? v.error : v);
    // Bad kWh on this row (as the validator names it): the ranking must leave the unit out.
    const bad = e.value === null ? kwhErrors(ds.issues, saving.name, u.origin.row, { commercial: u.origin.cols.commercial, saved: u.origin.cols.saved }, cell) : null;
    if (bad) {
      expect({ unit: u.unitCode, rank: e.rank, eligible: e.eligible, fieldsInNote: bad.fields.every((f) => e.note.startsWith('Dữ liệu lỗi: ') && e.note.includes(f)) })
        .toEqual({ unit: u.unitCode, rank: null, eligible: false, fieldsInNote: true });
    }
    if (isFormula(rateCol)) {
      out.formulaRows++;
      const v = cell(rateCol);
      out.cells.push(`${u.unitCode} rate ${JSON.stringify(v)}`);
      if (e.value !== null) {
        expect({ unit: u.unitCode, rate: v }).toEqual({ unit: u.unitCode, rate: e.value });
        out.rates++;
      } else if (bad && bad.errors.size) {
        // No rate in the ranking: the cell is the error for that data, not a number.
        expect({ unit: u.unitCode, rate: shown(v), expected: bad.errors.has(String(shown(v))) }).toEqual({ unit: u.unitCode, rate: expect.stringMatching(/^#/), expected: true });
        out.rates++;
        out.excluded.push(u.unitCode);
      }
    }
    if (isFormula(eligibleCol) && bad && bad.errors.size) {
      // Its Đạt ngưỡng carries the same error (whatever Tiêu chí's thresholds): no eligibility to show.
      const v = cell(eligibleCol);
      expect({ unit: u.unitCode, eligible: shown(v), expected: bad.errors.has(String(shown(v))) }).toEqual({ unit: u.unitCode, eligible: expect.stringMatching(/^#/), expected: true });
    }
    if (isFormula(eligibleCol)) {
      const v = cell(eligibleCol);
      out.cells.push(`${u.unitCode} eligible ${JSON.stringify(v)}`);
      // The ranking decides eligibility unless the row (or Tiêu chí) has an error.
      const decided = e.eligible || e.note.startsWith('Không đạt ngưỡng');
      if (decided) {
        expect({ unit: u.unitCode, eligible: v, note: e.note }).toEqual({ unit: u.unitCode, eligible: e.eligible, note: e.note });
        out.eligible++;
      }
    }
  }
  const service = sheetOf(SERVICE.sheet);
  if (service) {
    const codeCol = (row: number) => service.rows[row]?.findIndex((c) => typeof c === 'string' && matchKey(c) === matchKey(SERVICE.fields[0].header)) ?? -1;
    const headerRow = service.rows.findIndex((r, i) => codeCol(i) >= 0 && r.some((c) => typeof c === 'string' && matchKey(c) === matchKey(SERVICE_SCORE.header)));
    if (headerRow >= 0) {
      const scoreCol = service.rows[headerRow].findIndex((c) => typeof c === 'string' && matchKey(c) === matchKey(SERVICE_SCORE.header));
      for (const s of ds.service) {
        if (!s.unitCode || !book.formulas.has(`${service.name}!${s.origin.row},${scoreCol}`)) continue;
        const unit = ds.saving.find((x) => x.unitCode === s.unitCode);
        if (!unit || (unit.level !== LEVEL.company && unit.level !== LEVEL.unit)) continue;
        const e = entry(`${unit.level === LEVEL.company ? 'company' : 'unit'}-service`, s.unitCode);
        if (!e) continue;
        const v = service.rows[s.origin.row]?.[scoreCol] ?? null;
        out.cells.push(`${s.unitCode} score ${JSON.stringify(v)}`);
        if (e.value !== null) {
          expect({ unit: s.unitCode, score: v }).toEqual({ unit: s.unitCode, score: e.value });
          out.scores++;
        } else if (e.note.startsWith('Thiếu chỉ tiêu')) {
          // A missing value: the cell is #N/A on either platform.
          expect({ unit: s.unitCode, score: isCellError(v) ? v.error : v }).toEqual({ unit: s.unitCode, score: '#N/A' });
          out.scores++;
        }
      }
    }
  }
  return out;
}

/** Units whose kWh the validator rejects in a file as the production reader reads it (no recalculation). */
async function unitsWithBadKwh(file: string): Promise<string[]> {
  const ds = validateGrids([await readXlsxGrid(file)]);
  return ds.saving.filter((u) => u.unitCode && kwhErrors(ds.issues, u.origin.sheet, u.origin.row, { commercial: u.origin.cols.commercial, saved: u.origin.cols.saved }, () => null))
    .map((u) => u.unitCode!).sort();
}

async function checkFile(file: string, label: string): Promise<Checked[]> {
  const grid = await readXlsxGrid(file);
  const cells = policyCells(grid);
  const results: Checked[] = [];
  for (const v of VARIANTS) {
    const byMode: Partial<Record<Blanks, Checked>> = {};
    for (const mode of ['null', 'zero'] as const) {
      const book = await loadBook(file, mode);
      apply(book, cells, v);
      byMode[mode] = check(book, label);
    }
    // Desktop (0) and web (null) give the same derived cells.
    expect(byMode.zero!.cells).toEqual(byMode.null!.cells);
    results.push(byMode.null!);
  }
  return results;
}

const readable = async (f: string) => readXlsxGrid(f).then(() => true, () => false);

describe('every derived cell equals the ranking after Tiêu chí changes (HyperFormula)', () => {
  test('the template names the Tiêu chí cells and its formulas use them', async () => {
    const book = await loadBook(template);
    expect([...book.names.keys()].sort()).toEqual(Object.values(DEFINED_NAMES).sort());
    const grid = await readXlsxGrid(template);
    const cells = policyCells(grid);
    // Each ThamSo name points at the cell the reader reads that value from.
    for (const f of PARAMS.fields) {
      const at = cells.params[f.key]!;
      const ref = book.names.get(DEFINED_NAMES[f.key as keyof typeof DEFINED_NAMES])!;
      expect(ref).toBe(`'${CRITERIA.sheet}'!$${String.fromCharCode(65 + at.col)}$${at.row + 1}`);
    }
    // The blank row's derived cells are formulas (calculated columns need them).
    expect(book.formulas.size).toBe(3);
  });

  test.each(examples.map((f) => [f.split('/').pop() as string, f]))('example %s', async (label, file) => {
    const results = await checkFile(file, label);
    const bad = await unitsWithBadKwh(file);
    for (const r of results) {
      expect(r.formulaRows).toBeGreaterThan(5);
      expect(r.rates).toBe(r.formulaRows);
      // Every unit left out for its kWh was compared (error cell against the ranking), none skipped.
      expect([...r.excluded].sort()).toEqual(bad);
      expect(r.eligible).toBeGreaterThan(0);
      expect(r.scores).toBeGreaterThan(0);
    }
    // The threshold variants move some unit across the line: the test sees eligibility change.
    expect(results.slice(1, 4).some((r) => JSON.stringify(r.cells) !== JSON.stringify(results[0].cells))).toBe(true);
  }, 60_000);

  test('the examples hold a row with bad kWh on purpose, so the check above compares an error cell', async () => {
    const bad = (await Promise.all(examples.map(unitsWithBadKwh))).flat();
    expect(bad.length).toBeGreaterThan(0);
  });

  test('every readable corpus file', async () => {
    let files = 0;
    let compared = 0;
    for (const f of corpus) {
      if (!(await readable(f))) continue;
      const results = await checkFile(f, f.split('/').pop() as string);
      files++;
      compared += results.reduce((s, r) => s + r.rates + r.eligible + r.scores, 0);
    }
    expect(files).toBeGreaterThan(15);
    expect(compared).toBeGreaterThan(100);
  }, 300_000);

  test('a template filled in and recalculated: rows a user adds carry the same formulas', async () => {
    // A template with content written by the writer, then Tiêu chí changed; the dataset is ranked.
    const buf = await workbookBuffer(inputSheetPlans({
      info: { companyCode: 'PC05', companyName: 'Công ty Điện lực Quảng Nam', year: 2012 },
      saving: [
        { unitCode: 'PC05', unitName: 'PC Quảng Nam', level: ' công  TY ', companyCode: 'PC05', commercial: 1_000_000, saved: 12_000 },
        { unitCode: 'PC05QN01', unitName: 'Điện lực Hội An', level: LEVEL.unit, companyCode: 'PC05', commercial: 100_000, saved: 1_300 },
        { unitCode: 'PC05QN02', unitName: 'Điện lực Tam Kỳ', level: LEVEL.unit, companyCode: 'PC05', commercial: 100_000, saved: 1_000 },
      ],
      service: [
        { unitCode: 'PC05', values: { TGCD: 4, SAIDI: 3500, SAIFI: 20, HLKH: 8, KNDH: 0.98, TTKTM: 0.25 } },
        { unitCode: 'PC05QN01', values: { TGCD: 0, SAIDI: 5000, SAIFI: 30, HLKH: 6, KNDH: 1, TTKTM: 0.1 } },
        { unitCode: 'PC05QN02', values: { TGCD: 6, SAIDI: 4500, SAIFI: 25, HLKH: 7 } },
      ],
    }), { date: new Date(Date.UTC(2013, 0, 10)) });
    const grid = await readXlsxGrid(buf, 'filled.xlsx');
    const cells = policyCells(grid);
    for (const v of VARIANTS) {
      for (const mode of ['null', 'zero'] as const) {
        const book = await loadBook(buf, mode);
        apply(book, cells, v);
        const r = check(book, 'filled.xlsx');
        expect(r.rates).toBe(3);
        expect(r.eligible).toBe(3);
        expect(r.scores).toBe(3); // two scores, one #N/A (missing KNDH, TTKTM)
      }
    }
  });
});

test('the check catches the old formula: a template made before the names ignores Tiêu chí thresholds', async () => {
  // =EVN.SAVINGELIGIBLE(F5,E5) used the default 1 % whatever ThamSo said (issue 15's report).
  const older = join(root, 'test', 'fixtures', 'older', 'pc05-v1-khong-ten.xlsx');
  await expect(checkFile(older, 'pc05-v1-khong-ten.xlsx')).rejects.toThrow(/eligible/);
}, 60_000);
