/**
 * Import, as pure data: submissions (grids) merged into the master workbook's grid. The result is
 * the complete new content of the three data sheets — computed before anything is written, so a
 * failed import leaves the master as it was — plus what to tell the user.
 *
 * Rows of a company already in the master are REPLACED where they stood (never duplicated); a new
 * company's rows are appended. A submission with any error is rejected whole.
 */
import { CellValue, SheetGrid, WorkbookGrid, a1, cellAt, columnLetters, isBlank, matchKey, normalizeSpace } from '../core/cells';
import { validateGrids } from '../core/engine';
import {
  INDIVIDUAL, INFO, MASTER_COMPANY_CODE, NUMFMT, SAVING, SERVICE, criterionNumFmt, BlockDef, CriterionRecord,
} from '../core/format';
import type { Issue } from '../core/model';
import type { PlanCell } from '../core/plan';
import { findSheet, readWorkbook } from '../core/reader';
import type { RowsWrite, TableInfo } from './adapter';

export interface Submission {
  readonly file: string;
  /** The file's grid, or why it could not be read. */
  readonly grid?: WorkbookGrid;
  readonly unreadable?: { readonly vi: string; readonly en: string };
}

export type OutcomeStatus = 'added' | 'replaced' | 'rejected';

export interface ImportOutcome {
  readonly file: string;
  readonly status: OutcomeStatus;
  readonly company?: string;
  readonly companyName?: string;
  readonly units: number;
  readonly individuals: number;
  /** Why it was rejected (Vietnamese, English). */
  readonly reason?: { readonly vi: string; readonly en: string };
  /** The submission's errors when rejected for them. */
  readonly issues?: readonly Issue[];
}

export interface ImportPlan {
  readonly outcomes: readonly ImportOutcome[];
  /** Companies whose rows in the master would be replaced: ask before writing. */
  readonly replaces: readonly { readonly code: string; readonly name: string; readonly file: string }[];
  /** What to write; empty when nothing changes. */
  readonly writes: readonly RowsWrite[];
}

/** The master cannot take an import at all (not a master, a sheet missing). */
export class MasterError extends Error {
  constructor(readonly vi: string, readonly en: string) {
    super(vi);
  }
}

const codeKey = (v: CellValue): string => (typeof v === 'string' || typeof v === 'number' ? normalizeSpace(String(v)).toUpperCase() : '');

/** A data sheet of the master: where its header row and columns are, and its rows. */
interface MasterSheet {
  readonly def: BlockDef;
  readonly grid: SheetGrid;
  readonly headerRow: number;
  /** Field key (criterion code on the service sheet) → absolute column. */
  readonly cols: Record<string, number>;
  /** Absolute columns rewritten when rows move: the used range's width and the block's columns. */
  readonly c0: number;
  readonly c1: number;
  /** Data rows (below the header), each the sheet's cells from c0 to c1. */
  rows: CellValue[][];
  readonly table?: TableInfo;
  /** Number format of each field column for new values. */
  readonly numFmt: Record<string, string | undefined>;
  readonly derived: readonly string[];
}

function locateHeader(sheet: SheetGrid, required: readonly { key: string; match: (k: string) => boolean }[], optional: readonly { key: string; match: (k: string) => boolean }[]): { row: number; cols: Record<string, number> } | null {
  for (let r = 0; r < sheet.rows.length; r++) {
    const cols: Record<string, number> = {};
    sheet.rows[r].forEach((v, c) => {
      if (typeof v !== 'string') return;
      const k = matchKey(v);
      for (const col of [...required, ...optional]) if (cols[col.key] === undefined && col.match(k)) { cols[col.key] = sheet.originCol + c; break; }
    });
    if (required.every((c) => cols[c.key] !== undefined)) return { row: sheet.originRow + r, cols };
  }
  return null;
}

function exact(key: string, header: string) {
  const k = matchKey(header);
  return { key, match: (c: string) => c === k };
}
function prefix(code: string) {
  const k = matchKey(code);
  return { key: code, match: (c: string) => c.startsWith(k) && (c.length === k.length || !/[\p{L}\p{N}_]/u.test(c[k.length])) };
}

function masterSheet(grid: WorkbookGrid, def: BlockDef, tables: Readonly<Record<string, TableInfo>>, criteria: readonly CriterionRecord[]): MasterSheet {
  const sheet = findSheet(grid, def.sheet);
  const missing = () => new MasterError(
    `Bảng tổng hợp thiếu sheet "${def.sheet}" hoặc hàng tiêu đề của nó; hãy tạo mẫu trước khi nhập.`,
    `The master has no sheet "${def.sheet}" or no header row on it; create the template before importing.`,
  );
  if (!sheet) throw missing();
  const fields = def.fields;
  const required = def === SERVICE
    ? [exact(fields[0].key, fields[0].header), ...criteria.map((c) => prefix(c.code))]
    : fields.filter((f) => f.type !== 'derived' && f.required).map((f) => exact(f.key, f.header));
  // Service: the derived Điểm dịch vụ (after the criteria) is optional, as derived columns are.
  const optional = (def === SERVICE ? fields.filter((f) => f.type === 'derived') : fields.filter((f) => f.type === 'derived' || !f.required))
    .map((f) => exact(f.key, f.header));
  const loc = locateHeader(sheet, required, optional);
  if (!loc) {
    if (!locateHeader(sheet, required.slice(0, 1), [])) throw missing();
    throw new MasterError(
      `Sheet "${sheet.name}" của bảng tổng hợp thiếu cột (so với mẫu chuẩn và sheet Tiêu chí); hãy sửa tiêu đề cột trước khi nhập.`,
      `Sheet "${sheet.name}" of the master lacks columns (against the standard format and Tiêu chí); fix its headers before importing.`,
    );
  }
  const table = Object.values(tables).find((t) => matchKey(t.sheet) === matchKey(sheet.name) && t.r0 === loc.row);
  const width = Math.max(0, ...sheet.rows.map((r) => r.length));
  const colValues = Object.values(loc.cols);
  const c0 = Math.min(sheet.originCol, ...colValues);
  const c1 = Math.max(sheet.originCol + width - 1, ...colValues, table ? table.c1 : 0);
  const rows: CellValue[][] = [];
  for (let r = loc.row + 1; r < sheet.originRow + sheet.rows.length; r++) {
    const row: CellValue[] = [];
    for (let c = c0; c <= c1; c++) row.push(cellAt(sheet, r, c));
    rows.push(row);
  }
  const numFmt: Record<string, string | undefined> = {};
  if (def === SERVICE) for (const c of criteria) numFmt[c.code] = criterionNumFmt(c);
  for (const f of fields) numFmt[f.key] = f.numFmt ?? (f.type === 'code' || f.type === 'text' || f.type === 'enum' ? NUMFMT.text : undefined);
  return {
    def, grid: sheet, headerRow: loc.row, cols: loc.cols, c0, c1, rows, table, numFmt,
    derived: fields.filter((f) => f.type === 'derived').map((f) => f.key),
  };
}

function rowEmpty(row: readonly CellValue[]): boolean {
  return row.every((v) => isBlank(v));
}

/** Put `fresh` rows in place of the rows matching `remove` (at the first one), else after the last filled row. */
function replaceRows(ms: MasterSheet, remove: (row: CellValue[]) => boolean, fresh: CellValue[][]): void {
  const out: CellValue[][] = [];
  let placed = false;
  for (const row of ms.rows) {
    if (!rowEmpty(row) && remove(row)) {
      if (!placed) { out.push(...fresh); placed = true; }
      continue;
    }
    out.push(row);
  }
  if (!placed) {
    let last = out.length - 1;
    while (last >= 0 && rowEmpty(out[last])) last--;
    out.splice(last + 1, 0, ...fresh);
  }
  ms.rows = out;
}

const at = (ms: MasterSheet, row: readonly CellValue[], key: string): CellValue => {
  const c = ms.cols[key];
  return c === undefined ? null : row[c - ms.c0] ?? null;
};

function newRow(ms: MasterSheet, values: Record<string, CellValue | undefined>): CellValue[] {
  const row: CellValue[] = Array.from({ length: ms.c1 - ms.c0 + 1 }, () => null);
  for (const [key, col] of Object.entries(ms.cols)) {
    const v = values[key];
    if (v !== undefined) row[col - ms.c0] = v;
  }
  return row;
}

function message(vi: string, en: string) {
  return { vi, en };
}

/**
 * Plan an import of `files` into `master` (the workbook's grid as the adapter read it). Never
 * writes; throws MasterError when the workbook cannot be a master.
 */
export function planImport(master: WorkbookGrid, tables: Readonly<Record<string, TableInfo>>, files: readonly Submission[]): ImportPlan {
  const parsed = readWorkbook({ ...master, file: '' });
  const masterCode = parsed.info.companyCode;
  if (!findSheet(master, INFO.sheet) || masterCode === undefined || codeKey(masterCode) !== MASTER_COMPANY_CODE) {
    throw new MasterError(
      `Sổ tính này không phải bảng tổng hợp: ở sheet "${INFO.sheet}", "Mã công ty" phải là ${MASTER_COMPANY_CODE}. Hãy tạo mẫu bảng tổng hợp hoặc sửa ô đó.`,
      `This workbook is not the master: on sheet "${INFO.sheet}", "Mã công ty" must be ${MASTER_COMPANY_CODE}. Create the master template or fix that cell.`,
    );
  }
  const criteria = parsed.criteria.criteria;
  const saving = masterSheet(master, SAVING, tables, criteria);
  const service = masterSheet(master, SERVICE, tables, criteria);
  const people = masterSheet(master, INDIVIDUAL, tables, criteria);
  const originalRows = [saving, service, people].map((ms) => ms.rows.slice());

  const outcomes: ImportOutcome[] = [];
  const replaces: { code: string; name: string; file: string }[] = [];
  const presentBefore = new Set(saving.rows.map((r) => codeKey(at(saving, r, 'companyCode'))).filter(Boolean));
  const doneInBatch = new Set<string>();
  const reject = (file: string, vi: string, en: string, extra: Partial<ImportOutcome> = {}) =>
    outcomes.push({ file, status: 'rejected', units: 0, individuals: 0, reason: message(vi, en), ...extra });

  for (const sub of files) {
    if (!sub.grid) {
      reject(sub.file, sub.unreadable?.vi ?? 'Không đọc được tệp.', sub.unreadable?.en ?? 'The file cannot be read.');
      continue;
    }
    const grid: WorkbookGrid = { ...sub.grid, file: sub.file };
    const ds = validateGrids([grid], { criteriaGrid: { ...master, file: '' } });
    const own = ds.issues.filter((i) => i.file === sub.file);
    const errors = own.filter((i) => i.severity === 'error');
    const info = readWorkbook(grid).info;
    const code = info.companyCode ? codeKey(info.companyCode) : '';
    const name = info.companyName ?? code;
    if (code === MASTER_COMPANY_CODE) {
      reject(sub.file, `Tệp là một bảng tổng hợp (Mã công ty ${MASTER_COMPANY_CODE}), không phải báo cáo của một công ty.`,
        `The file is a master (company code ${MASTER_COMPANY_CODE}), not one company's submission.`, { company: code });
      continue;
    }
    if (errors.length) {
      reject(sub.file, `Tệp có ${errors.length} lỗi; hãy gửi lại công ty để sửa (xem danh sách).`,
        `The file has ${errors.length} errors; send it back to the company to fix (see the list).`, { company: code || undefined, companyName: name || undefined, issues: errors });
      continue;
    }
    if (doneInBatch.has(code)) {
      reject(sub.file, `Công ty ${code} đã có một tệp khác trong lần nhập này; chỉ nhập một tệp cho mỗi công ty.`,
        `Company ${code} already has another file in this import; import one file per company.`, { company: code, companyName: name });
      continue;
    }
    // A unit of this file listed in the master under another company would become a duplicate.
    const subUnits = new Set(ds.saving.map((r) => codeKey(r.unitCode ?? '')));
    const clash = saving.rows.find((r) => subUnits.has(codeKey(at(saving, r, 'unitCode'))) && codeKey(at(saving, r, 'companyCode')) !== code);
    if (clash) {
      const u = codeKey(at(saving, clash, 'unitCode'));
      const other = codeKey(at(saving, clash, 'companyCode'));
      reject(sub.file, `Đơn vị ${u} đã có trong bảng tổng hợp thuộc công ty ${other}.`, `Unit ${u} is already in the master under company ${other}.`, { company: code, companyName: name });
      continue;
    }
    doneInBatch.add(code);
    const unitsOfCompany = new Set<string>(subUnits);
    for (const r of saving.rows) if (codeKey(at(saving, r, 'companyCode')) === code) unitsOfCompany.add(codeKey(at(saving, r, 'unitCode')));

    const savingRows = ds.saving.map((r) => newRow(saving, {
      unitCode: r.unitCode, unitName: r.unitName, level: r.level, companyCode: r.companyCode,
      commercial: r.commercial, saved: r.saved, note: r.note ?? null,
    }));
    const serviceRows = ds.service.map((r) => newRow(service, { unitCode: r.unitCode, ...r.values }));
    const peopleRows = ds.individuals.map((r) => newRow(people, {
      name: r.name, unitCode: r.unitCode, position: r.position ?? null, area: r.area, achievement: r.achievement, points: r.points,
    }));
    replaceRows(saving, (row) => codeKey(at(saving, row, 'companyCode')) === code || subUnits.has(codeKey(at(saving, row, 'unitCode'))), savingRows);
    replaceRows(service, (row) => unitsOfCompany.has(codeKey(at(service, row, 'unitCode'))), serviceRows);
    replaceRows(people, (row) => unitsOfCompany.has(codeKey(at(people, row, 'unitCode'))), peopleRows);

    const replaced = presentBefore.has(code);
    if (replaced) replaces.push({ code, name, file: sub.file });
    outcomes.push({ file: sub.file, status: replaced ? 'replaced' : 'added', company: code, companyName: name, units: savingRows.length, individuals: peopleRows.length });
  }

  const writes: RowsWrite[] = [];
  [saving, service, people].forEach((ms, i) => {
    const w = sheetWrite(ms, originalRows[i]);
    if (w) writes.push(w);
  });
  return { outcomes, replaces, writes };
}

function sameRow(ms: MasterSheet, a: readonly CellValue[] | undefined, b: readonly CellValue[] | undefined): boolean {
  if (!a || !b) return (a ? rowEmpty(a) : true) && (b ? rowEmpty(b) : true);
  const derived = new Set(ms.derived.map((k) => ms.cols[k]).filter((c) => c !== undefined).map((c) => c - ms.c0));
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (derived.has(i)) continue;
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (isBlank(x) && isBlank(y)) continue;
    if (JSON.stringify(x) !== JSON.stringify(y)) return false;
  }
  return true;
}

/** The rows from the first changed one down, with formats; null when the sheet is unchanged. */
function sheetWrite(ms: MasterSheet, before: readonly CellValue[][]): RowsWrite | null {
  const after = ms.rows;
  let first = 0;
  const n = Math.max(before.length, after.length);
  while (first < n && sameRow(ms, before[first], after[first])) first++;
  if (first >= n) return null;
  const width = ms.c1 - ms.c0 + 1;
  const letters: Record<string, string> = {};
  for (const [k, c] of Object.entries(ms.cols)) letters[k] = columnLetters(c);
  if (ms.def === SERVICE) {
    // The score formula reads the row's criterion columns (the template keeps them together).
    const crit = Object.entries(ms.cols).filter(([k]) => !ms.def.fields.some((f) => f.key === k)).map(([, c]) => c);
    if (crit.length) {
      letters.firstCriterion = columnLetters(Math.min(...crit));
      letters.lastCriterion = columnLetters(Math.max(...crit));
    }
  }
  const fieldAt = new Map<number, string>(Object.entries(ms.cols).map(([k, c]) => [c - ms.c0, k]));
  const values: (PlanCell | '')[][] = [];
  const formats: (string | null)[][] = [];
  for (let i = first; i < n; i++) {
    const row = after[i];
    const excelRow = ms.headerRow + 2 + i;
    const vals: (PlanCell | '')[] = [];
    const fmts: (string | null)[] = [];
    for (let j = 0; j < width; j++) {
      const key = fieldAt.get(j);
      const field = key ? ms.def.fields.find((f) => f.key === key) : undefined;
      if (!row) { vals.push(''); fmts.push(null); continue; }
      if (field?.type === 'derived' && field.formula) {
        const filled = !rowEmpty(row);
        vals.push(filled ? { formula: field.formula(letters, excelRow) } : '');
        fmts.push(null);
        continue;
      }
      const v = row[j] ?? null;
      if (v === null) { vals.push(''); fmts.push(null); continue; }
      if (typeof v === 'object') { vals.push(v.error); fmts.push(null); continue; }
      vals.push(v);
      fmts.push(typeof v === 'string' ? NUMFMT.text : key ? ms.numFmt[key] ?? null : null);
    }
    values.push(vals);
    formats.push(fmts);
  }
  let lastFilled = after.length - 1;
  while (lastFilled >= 0 && rowEmpty(after[lastFilled])) lastFilled--;
  const tableEnd = ms.headerRow + 1 + Math.max(0, lastFilled);
  const table = ms.table && ms.table.r1 !== tableEnd
    ? { name: ms.table.name, address: `${a1(ms.table.r0, ms.table.c0)}:${a1(tableEnd, ms.table.c1)}` }
    : undefined;
  return { sheet: ms.grid.name, row: ms.headerRow + 1 + first, col: ms.c0, values, formats, table };
}
