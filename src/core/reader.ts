/**
 * Reader: a workbook's grid → typed records and issues, by the rules of workbook.md.
 *
 * Blocks are found by their header row, not by position or by Excel tables, so files saved by
 * LibreOffice or typed by hand read the same. The reader never throws on cell content: anything
 * unexpected becomes an issue with a sheet and a cell.
 */
import {
  CellValue, SheetGrid, WorkbookGrid, a1, isBlankText, isCellError, matchKey, normalizeSpace, serialToIsoDate,
} from './cells';
import { decimalOf, sumDecimals, compareDecimal, decimalToString } from './decimal';
import {
  AWARDS, AREA, AwardRecord, BlockDef, CODE_PATTERN, CRITERIA, CriterionRecord, DECISIONS, DEFAULT_AWARDS,
  DEFAULT_CRITERIA, DEFAULT_PARAMS, FieldDef, INDIVIDUAL, INFO, KEY_HEADER, LEVEL, PARAMS, ParamsRecord,
  SAVING, SERVICE, VALUE_HEADER, criterionHeader,
} from './format';
import { looksLegacyEncoded } from './legacy';
import { MSG, Message } from './messages';
import type {
  CriteriaSet, DecisionRecord, IndividualRecord, InfoRecord, Issue, IssueCode, Origin, ParsedWorkbook, SavingRecord,
  ServiceRecord, Severity,
} from './model';
import { FieldSet, MessageIssue } from './model';
import { parseTextNumber } from './textnum';

/** A cell's content was wrong and an error was reported. */
const BAD = Symbol('bad');
type Read<T> = T | undefined | typeof BAD;

export class IssueSink {
  readonly issues: Issue[] = [];
  constructor(readonly file: string) {}
  add(severity: Severity, code: IssueCode, sheet: string, cell: string, field: string, msg: Message): void {
    this.issues.push(new MessageIssue(severity, this.file, sheet, cell, field, code, msg));
  }
}

// --- Finding sheets and blocks --------------------------------------------------------------

export function findSheet(grid: WorkbookGrid, name: string): SheetGrid | undefined {
  const key = matchKey(name);
  return grid.sheets.find((s) => matchKey(s.name) === key);
}

interface Column {
  /** Field key (or criterion code). */
  readonly key: string;
  readonly header: string;
  readonly required: boolean;
  /** Does a normalised header cell belong to this column? */
  readonly matches: (cellKey: string) => boolean;
}

interface Located {
  readonly headerRow: number;
  /** Field key → absolute 0-based column. */
  readonly cols: Record<string, number>;
  readonly missing: Column[];
}

function exactColumn(key: string, header: string, required: boolean): Column {
  const k = matchKey(header);
  return { key, header, required, matches: (c) => c === k };
}

/** `SAIDI (phút)` belongs to criterion `SAIDI`; `SAIDIX` does not. */
function prefixColumn(key: string, header: string, required: boolean): Column {
  const k = matchKey(key);
  return {
    key, header, required,
    matches: (c) => c.startsWith(k) && (c.length === k.length || !/[\p{L}\p{N}_]/u.test(c[k.length])),
  };
}

function fieldColumns(block: BlockDef): Column[] {
  return block.fields.filter((f) => f.type !== 'derived').map((f) => exactColumn(f.key, f.header, f.required))
    .concat(block.fields.filter((f) => f.type === 'derived').map((f) => exactColumn(f.key, f.header, false)));
}

/**
 * The header row: the first row holding every required header; failing that, the row holding
 * most of them (at least one). Columns are matched anywhere in the row; the first match wins.
 */
function locate(sheet: SheetGrid, columns: readonly Column[]): Located | undefined {
  const required = columns.filter((c) => c.required);
  let best: { row: number; cols: Record<string, number>; found: number } | undefined;
  for (let r = 0; r < sheet.rows.length; r++) {
    const row = sheet.rows[r];
    if (!row) continue;
    const cols: Record<string, number> = {};
    let found = 0;
    for (let c = 0; c < row.length; c++) {
      const v = row[c];
      if (typeof v !== 'string' || v === '') continue;
      const k = matchKey(v);
      for (const col of columns) {
        if (cols[col.key] === undefined && col.matches(k)) {
          cols[col.key] = sheet.originCol + c;
          if (col.required) found++;
          break;
        }
      }
    }
    if (found === required.length && found > 0) return { headerRow: sheet.originRow + r, cols, missing: [] };
    if (found > 0 && (!best || found > best.found)) best = { row: sheet.originRow + r, cols, found };
  }
  if (!best) return undefined;
  const cols = best.cols;
  return { headerRow: best.row, cols, missing: required.filter((c) => cols[c.key] === undefined) };
}

function rowOf(sheet: SheetGrid, absRow: number): ReadonlyArray<CellValue> | undefined {
  return sheet.rows[absRow - sheet.originRow];
}

function valueAt(row: ReadonlyArray<CellValue> | undefined, sheet: SheetGrid, absCol: number): CellValue {
  if (!row) return null;
  const v = row[absCol - sheet.originCol];
  return v === undefined ? null : v;
}

function isBlankValue(v: CellValue): boolean {
  return v === null || (typeof v === 'string' && isBlankText(v));
}

/**
 * Data rows of a located block: to the end of the sheet, or to the first row blank in its columns.
 * With `read`, only those columns count: a row holding nothing but derived cells (a table row the
 * user added, its calculated columns showing #DIV/0!) is blank, as derived cells are never read.
 */
function* blockRows(sheet: SheetGrid, loc: Located, stopAtBlank: boolean, read?: (key: string) => boolean): Generator<number> {
  const cols = Object.entries(loc.cols).filter(([k]) => !read || read(k)).map(([, c]) => c);
  const end = sheet.originRow + sheet.rows.length;
  for (let r = loc.headerRow + 1; r < end; r++) {
    const row = rowOf(sheet, r);
    let blank = true;
    if (row) for (const c of cols) if (!isBlankValue(valueAt(row, sheet, c))) { blank = false; break; }
    if (blank) {
      if (stopAtBlank) return;
      continue;
    }
    yield r;
  }
}

// --- Reading one cell --------------------------------------------------------------------------

interface CellSpec {
  readonly header: string;
  readonly type: FieldDef['type'];
  readonly required: boolean;
  readonly values?: readonly string[];
  readonly min?: number;
  readonly minExclusive?: boolean;
  readonly max?: number;
  readonly integer?: boolean;
  readonly rule?: { readonly vi: string; readonly en: string };
}

interface CellContext {
  readonly sink: IssueSink;
  readonly sheet: string;
  /** Severity of an empty required cell (service criteria: warning). */
  readonly missingSeverity?: Severity;
  /** Code for a value outside its range (`bad-config` on the criteria sheet). */
  readonly rangeCode?: IssueCode;
  readonly missingMessage?: Message;
}

// Enumerated values repeat on every row ('Điện lực'): remember what each raw text matched.
const enumIndex = new Map<readonly string[], { byKey: Map<string, string>; byRaw: Map<string, string | null> }>();
function canonicalEnum(values: readonly string[], v: string): string | undefined {
  let m = enumIndex.get(values);
  if (!m) {
    m = { byKey: new Map(values.map((x) => [matchKey(x), x])), byRaw: new Map() };
    enumIndex.set(values, m);
  }
  let hit = m.byRaw.get(v);
  if (hit === undefined) {
    hit = m.byKey.get(matchKey(v)) ?? null;
    if (m.byRaw.size < 1000) m.byRaw.set(v, hit);
  }
  return hit ?? undefined;
}

function rangeText(spec: CellSpec): [string, string] {
  if (spec.rule) return [spec.rule.vi, spec.rule.en];
  const lo = spec.min === undefined ? '' : `${spec.minExclusive ? '>' : '≥'} ${spec.min}`;
  const hi = spec.max === undefined ? '' : `≤ ${spec.max}`;
  const t = [lo, hi].filter(Boolean).join(', ');
  return [t, t];
}

function readNumber(ctx: CellContext, spec: CellSpec, v: CellValue, row: number, col: number): Read<number> {
  let n: number;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) {
      ctx.sink.add('error', 'type-error', ctx.sheet, a1(row, col), spec.header, MSG.notNumber(spec.header, v));
      return BAD;
    }
    n = v;
  } else if (typeof v === 'string') {
    const t = parseTextNumber(v);
    if (t.kind === 'ambiguous') {
      ctx.sink.add('error', 'type-error', ctx.sheet, a1(row, col), spec.header, MSG.ambiguousNumber(spec.header, v.trim(), t.readings));
      return BAD;
    }
    if (t.kind === 'invalid') {
      ctx.sink.add('error', 'type-error', ctx.sheet, a1(row, col), spec.header, MSG.notNumber(spec.header, v));
      return BAD;
    }
    n = t.value;
    ctx.sink.add('warning', 'text-number', ctx.sheet, a1(row, col), spec.header, MSG.textNumber(spec.header, v.trim(), n));
  } else {
    ctx.sink.add('error', 'type-error', ctx.sheet, a1(row, col), spec.header, MSG.notNumber(spec.header, v));
    return BAD;
  }
  if ((spec.integer || spec.type === 'integer') && !Number.isInteger(n)) {
    ctx.sink.add('error', 'type-error', ctx.sheet, a1(row, col), spec.header, MSG.notInteger(spec.header, v));
    return BAD;
  }
  const below = spec.min !== undefined && (spec.minExclusive ? n <= spec.min : n < spec.min);
  const above = spec.max !== undefined && n > spec.max;
  if (below || above) {
    const [vi, en] = rangeText(spec);
    ctx.sink.add('error', ctx.rangeCode ?? 'out-of-range', ctx.sheet, a1(row, col), spec.header, MSG.range(spec.header, n, vi, en));
    return BAD;
  }
  return n;
}

/** Excel's limit of characters in one cell: a longer text cannot be written back whole. */
const MAX_CELL_TEXT = 32_767;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;
const VN_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

function readCell(ctx: CellContext, spec: CellSpec, v: CellValue, row: number, col: number): Read<unknown> {
  if (isCellError(v) && v.raw !== undefined) {
    // A stored value the file's own type contradicts (the .xlsx reader keeps its raw text).
    ctx.sink.add('error', 'type-error', ctx.sheet, a1(row, col), spec.header, MSG.notNumber(spec.header, v.raw));
    return BAD;
  }
  if (typeof v === 'string' && v.length > MAX_CELL_TEXT) {
    ctx.sink.add('error', 'type-error', ctx.sheet, a1(row, col), spec.header, MSG.textTooLong(spec.header, v.length));
    return BAD;
  }
  if (isCellError(v)) {
    ctx.sink.add('error', 'formula-error', ctx.sheet, a1(row, col), spec.header, MSG.formulaError(spec.header, v.error));
    return BAD;
  }
  if (isBlankValue(v)) {
    if (!spec.required) return undefined;
    const severity = ctx.missingSeverity ?? 'error';
    ctx.sink.add(severity, 'missing-value', ctx.sheet, a1(row, col), spec.header, ctx.missingMessage ?? MSG.missingValue(spec.header));
    return severity === 'error' ? BAD : undefined;
  }
  switch (spec.type) {
    case 'number':
    case 'integer':
      return readNumber(ctx, spec, v, row, col);
    case 'code': {
      const s = typeof v === 'number' && Number.isInteger(v) ? String(v) : typeof v === 'string' ? normalizeSpace(v).toUpperCase() : '';
      if (!CODE_PATTERN.test(s)) {
        ctx.sink.add('error', 'type-error', ctx.sheet, a1(row, col), spec.header, MSG.notCode(spec.header, v));
        return BAD;
      }
      return s;
    }
    case 'enum': {
      const s = typeof v === 'string' ? v : String(v);
      const c = canonicalEnum(spec.values ?? [], s);
      if (c !== undefined) return c;
      if (looksLegacyEncoded(s)) ctx.sink.add('warning', 'legacy-encoding', ctx.sheet, a1(row, col), spec.header, MSG.legacy(spec.header, s));
      ctx.sink.add('error', 'type-error', ctx.sheet, a1(row, col), spec.header, MSG.notInList(spec.header, v, spec.values ?? []));
      return BAD;
    }
    case 'date': {
      if (typeof v === 'number' && v > 0 && v < 2958466) return serialToIsoDate(v);
      if (typeof v === 'string') {
        const s = normalizeSpace(v);
        let m = ISO_DATE.exec(s);
        if (m && !Number.isNaN(Date.parse(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`))) return `${m[1]}-${m[2]}-${m[3]}`;
        m = VN_DATE.exec(s);
        if (m) {
          const iso = `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
          if (!Number.isNaN(Date.parse(iso + 'T00:00:00Z'))) return iso;
        }
      }
      ctx.sink.add('error', 'type-error', ctx.sheet, a1(row, col), spec.header, MSG.notDate(spec.header, v));
      return BAD;
    }
    case 'text': {
      if (typeof v === 'boolean') {
        ctx.sink.add('error', 'type-error', ctx.sheet, a1(row, col), spec.header, MSG.notText(spec.header, v));
        return BAD;
      }
      const s = normalizeSpace(String(v));
      if (looksLegacyEncoded(s)) ctx.sink.add('warning', 'legacy-encoding', ctx.sheet, a1(row, col), spec.header, MSG.legacy(spec.header, s));
      return s;
    }
    default:
      return undefined;
  }
}

// --- Blocks --------------------------------------------------------------------------------

interface TableRead<T> {
  readonly records: T[];
  readonly found: boolean;
  readonly anchor?: string;
}

/** Read a table block into records; `build` turns a row's parsed fields into a record. */
function readTable<T>(
  sink: IssueSink, sheet: SheetGrid, columns: readonly Column[], specs: ReadonlyMap<string, CellSpec>,
  opts: {
    stopAtBlank: boolean; fileIndex: number; ctx?: Partial<CellContext>; ctxFor?: (key: string) => Partial<CellContext>;
    /**
     * A fresh object with every key already present (undefined), so that 100,000 rows share one
     * shape and fill it in place instead of growing each object; a key it lacks is still added.
     */
    blank?: () => Record<string, unknown>;
  },
  build: (values: Record<string, unknown>, origin: Origin, errorFields: FieldSet) => T,
): TableRead<T> {
  const loc = locate(sheet, columns);
  if (!loc) {
    for (const c of columns) if (c.required) sink.add('error', 'missing-column', sheet.name, '', c.header, MSG.missingColumn(c.header, sheet.name));
    return { records: [], found: false };
  }
  for (const c of loc.missing) sink.add('error', 'missing-column', sheet.name, '', c.header, MSG.missingColumn(c.header, sheet.name));
  const missingKeys = loc.missing.map((c) => c.key);
  const readable = columns.filter((c) => loc.cols[c.key] !== undefined && specs.has(c.key));
  const base: CellContext = { sink, sheet: sheet.name, ...opts.ctx };
  // Everything a cell needs, resolved once per column rather than looked up per cell.
  const keys = readable.map((c) => c.key);
  const cols = readable.map((c) => loc.cols[c.key]);
  const rel = cols.map((c) => c - sheet.originCol);
  const ctxs = readable.map((c) => (opts.ctxFor ? { ...base, ...opts.ctxFor(c.key) } : base));
  const cellSpecs = readable.map((c) => specs.get(c.key) as CellSpec);
  // Derived columns (no spec) do not make a row: a row holding only their formulas is blank.
  const blockCols = Object.entries(loc.cols).filter(([k]) => specs.has(k)).map(([, c]) => c - sheet.originCol);
  const records: T[] = [];
  const rows = sheet.rows;
  for (let i = loc.headerRow + 1 - sheet.originRow; i < rows.length; i++) {
    const row = rows[i];
    // A row blank in every column of the block ends it (stopAtBlank) or is skipped.
    let blank = true;
    if (row) {
      for (let b = 0; b < blockCols.length; b++) {
        const c = blockCols[b];
        const v = row[c];
        if (v !== undefined && !isBlankValue(v)) { blank = false; break; }
      }
    }
    if (blank) {
      if (opts.stopAtBlank) break;
      continue;
    }
    const r = i + sheet.originRow;
    const values: Record<string, unknown> = opts.blank ? opts.blank() : {};
    const errorFields = new FieldSet(missingKeys);
    for (let k = 0; k < keys.length; k++) {
      const cell = row[rel[k]];
      const v = readCell(ctxs[k], cellSpecs[k], cell === undefined ? null : cell, r, cols[k]);
      if (v === BAD) errorFields.add(keys[k]);
      else if (v !== undefined) values[keys[k]] = v;
    }
    records.push(build(values, { file: sink.file, fileIndex: opts.fileIndex, sheet: sheet.name, row: r, cols: loc.cols }, errorFields));
  }
  const firstCol = Math.min(...Object.values(loc.cols));
  return { records, found: true, anchor: a1(loc.headerRow, firstCol) };
}

function specsOf(block: BlockDef): Map<string, CellSpec> {
  return new Map(block.fields.filter((f) => f.type !== 'derived').map((f) => [f.key, f as CellSpec]));
}

interface KeyValueRead {
  readonly values: Record<string, unknown>;
  readonly cells: Record<string, string>;
  readonly bad: Set<string>;
  readonly found: boolean;
  readonly anchor?: string;
}

/** A `Mục | Giá trị` block: each known key's value, with its cell. */
function readKeyValue(sink: IssueSink, sheet: SheetGrid, block: BlockDef, stopAtBlank: boolean, rangeCode?: IssueCode): KeyValueRead {
  const columns = [exactColumn('key', KEY_HEADER, true), exactColumn('value', VALUE_HEADER, true)];
  const values: Record<string, unknown> = {};
  const cells: Record<string, string> = {};
  const bad = new Set<string>();
  const loc = locate(sheet, columns);
  if (!loc || loc.missing.length) {
    for (const c of loc ? loc.missing : columns) sink.add('error', 'missing-column', sheet.name, '', c.header, MSG.missingColumn(c.header, sheet.name));
    for (const f of block.fields) bad.add(f.key);
    return { values, cells, bad, found: false };
  }
  const byKey = new Map(block.fields.map((f) => [matchKey(f.header), f]));
  const ctx: CellContext = { sink, sheet: sheet.name, rangeCode };
  const keyCol = loc.cols.key;
  const valueCol = loc.cols.value;
  for (const r of blockRows(sheet, loc, stopAtBlank)) {
    const row = rowOf(sheet, r);
    const k = valueAt(row, sheet, keyCol);
    if (typeof k !== 'string') continue;
    const f = byKey.get(matchKey(k));
    if (!f) continue;
    const cell = a1(r, valueCol);
    if (cells[f.key] !== undefined) {
      sink.add('error', 'duplicate-key', sheet.name, a1(r, keyCol), KEY_HEADER, MSG.duplicate(KEY_HEADER, f.header, cells[f.key]));
      continue;
    }
    cells[f.key] = cell;
    const v = readCell(ctx, f as CellSpec, valueAt(row, sheet, valueCol), r, valueCol);
    if (v === BAD) bad.add(f.key);
    else if (v !== undefined) values[f.key] = v;
  }
  const anchor = a1(loc.headerRow, keyCol);
  for (const f of block.fields) {
    if (f.required && cells[f.key] === undefined) {
      sink.add('error', 'missing-value', sheet.name, anchor, f.header, MSG.missingKey(f.header, sheet.name));
      bad.add(f.key);
    }
  }
  return { values, cells, bad, found: true, anchor };
}

// --- The criteria sheet --------------------------------------------------------------------------

const AWARD_LEVELS: Readonly<Record<string, readonly string[]>> = {
  [AREA.service]: [LEVEL.company, LEVEL.unit],
  [AREA.saving]: [LEVEL.company, LEVEL.unit],
  [AREA.individual]: [LEVEL.individual],
};

/** Read `Tiêu chí` (ThamSo, TieuChi, GiaiThuong); problems there are `bad-config`. */
export function readCriteria(grid: WorkbookGrid, sink: IssueSink): CriteriaSet {
  const sheet = findSheet(grid, CRITERIA.sheet);
  if (!sheet) {
    sink.add('error', 'missing-sheet', CRITERIA.sheet, '', '', MSG.missingSheet(CRITERIA.sheet));
    return {
      params: DEFAULT_PARAMS, criteria: DEFAULT_CRITERIA, awards: DEFAULT_AWARDS, anchors: {},
      ok: { criteria: false, companyThreshold: false, unitThreshold: false, minScore: false, awards: false },
    };
  }
  const kv = readKeyValue(sink, sheet, PARAMS, true, 'bad-config');
  const params: ParamsRecord = { ...DEFAULT_PARAMS, ...(kv.values as Partial<ParamsRecord>) };

  const before = sink.issues.length;
  const crit = readTable(sink, sheet, fieldColumns(CRITERIA), specsOf(CRITERIA),
    { stopAtBlank: true, fileIndex: 0, ctx: { rangeCode: 'bad-config' } },
    (v, origin, errorFields) => ({ v, origin, errorFields }));
  let criteriaOk = crit.found && sink.issues.slice(before).every((i) => i.severity !== 'error');
  const criteria: CriterionRecord[] = [];
  const seen = new Map<string, string>();
  for (const { v, origin, errorFields } of crit.records) {
    const code = v.code as string | undefined;
    if (code !== undefined) {
      const cell = a1(origin.row, origin.cols.code);
      if (seen.has(code)) {
        sink.add('error', 'bad-config', sheet.name, cell, CRITERIA.fields[0].header, MSG.duplicate(CRITERIA.fields[0].header, code, seen.get(code) as string));
        criteriaOk = false;
        continue;
      }
      seen.set(code, cell);
    }
    if (errorFields.size || code === undefined) { criteriaOk = false; continue; }
    criteria.push({ code, name: v.name as string, unit: (v.unit as string | undefined) ?? '', direction: v.direction as CriterionRecord['direction'], target: v.target as number, weight: v.weight as number });
  }
  if (crit.found && crit.records.length === 0) {
    sink.add('error', 'bad-config', sheet.name, crit.anchor ?? '', CRITERIA.fields[0].header, MSG.noCriteria());
    criteriaOk = false;
  } else if (criteriaOk) {
    const sum = sumDecimals(criteria.map((c) => decimalOf(c.weight)));
    if (compareDecimal(sum, { n: 100n, scale: 0 }) !== 0) {
      const loc = locate(sheet, fieldColumns(CRITERIA));
      const weightHeader = CRITERIA.fields.find((f) => f.key === 'weight') as FieldDef;
      const cell = loc && loc.cols.weight !== undefined ? a1(loc.headerRow, loc.cols.weight) : '';
      sink.add('error', 'bad-config', sheet.name, cell, weightHeader.header, MSG.weightsSum(decimalToString(sum)));
      criteriaOk = false;
    }
  }

  const beforeAwards = sink.issues.length;
  const aw = readTable(sink, sheet, fieldColumns(AWARDS), specsOf(AWARDS),
    { stopAtBlank: true, fileIndex: 0, ctx: { rangeCode: 'bad-config' } },
    (v, origin, errorFields) => ({ v, origin, errorFields }));
  let awardsOk = aw.found && sink.issues.slice(beforeAwards).every((i) => i.severity !== 'error');
  const awards: AwardRecord[] = [];
  for (const { v, origin, errorFields } of aw.records) {
    if (errorFields.size) { awardsOk = false; continue; }
    const area = v.area as AwardRecord['area'];
    const level = v.level as AwardRecord['level'];
    if (!AWARD_LEVELS[area].includes(level)) {
      const header = AWARDS.fields[1].header;
      sink.add('error', 'bad-config', sheet.name, a1(origin.row, origin.cols.level), header, MSG.notInList(header, level, AWARD_LEVELS[area]));
      awardsOk = false;
      continue;
    }
    awards.push({ area, level, count: v.count as number, title: v.title as string, form: v.form as string, prize: v.prize as number });
  }
  return {
    params, criteria: criteriaOk ? criteria : [], awards: awardsOk ? awards : [],
    anchors: { ThamSo: kv.anchor, TieuChi: crit.anchor, GiaiThuong: aw.anchor },
    ok: {
      criteria: criteriaOk,
      companyThreshold: kv.found && !kv.bad.has('companyThreshold'),
      unitThreshold: kv.found && !kv.bad.has('unitThreshold'),
      minScore: kv.found && !kv.bad.has('minScore'),
      awards: awardsOk,
    },
  };
}

// --- The council's decisions ---------------------------------------------------------------------

/**
 * Read `Quyết định Hội đồng` (optional: a missing sheet is no issue). Cell problems are the usual
 * codes; whether a row names an entry of a tie is decided when ranking (decisions.ts).
 */
export function readDecisions(grid: WorkbookGrid, sink: IssueSink, fileIndex = 0): DecisionRecord[] {
  const sheet = findSheet(grid, DECISIONS.sheet);
  if (!sheet) return [];
  return readTable(sink, sheet, fieldColumns(DECISIONS), specsOf(DECISIONS), { stopAtBlank: false, fileIndex },
    (v, origin, errorFields) => Object.assign(v, { origin, errorFields }) as unknown as DecisionRecord).records;
}

/**
 * Where the decisions table sits on its sheet, for the pane that writes it: the header row, the
 * column of each field found, and the last row of the used range (0-based); undefined when the
 * sheet or its header row is missing.
 */
export function decisionsLayout(grid: WorkbookGrid): { sheet: string; headerRow: number; cols: Record<string, number>; lastRow: number } | undefined {
  const sheet = findSheet(grid, DECISIONS.sheet);
  if (!sheet) return undefined;
  const loc = locate(sheet, fieldColumns(DECISIONS));
  if (!loc || loc.missing.length) return undefined;
  return { sheet: sheet.name, headerRow: loc.headerRow, cols: loc.cols, lastRow: sheet.originRow + sheet.rows.length - 1 };
}

// --- The whole workbook ----------------------------------------------------------------------

// Record shapes for readTable's `blank` (a field missing here is still read, only slower).
const blankSaving = () => ({
  unitCode: undefined, unitName: undefined, level: undefined, companyCode: undefined, commercial: undefined,
  saved: undefined, note: undefined, origin: undefined, errorFields: undefined,
});
const blankIndividual = () => ({
  name: undefined, unitCode: undefined, position: undefined, area: undefined, achievement: undefined, points: undefined,
  origin: undefined, errorFields: undefined,
});

export interface ReadOptions {
  readonly fileIndex?: number;
  /**
   * The criteria the service columns are read against (the reference file's when several files
   * are ranked together); by default the workbook's own.
   */
  readonly criteria?: CriteriaSet;
}

/** Read one workbook. Never throws on cell content. */
export function readWorkbook(grid: WorkbookGrid, opts: ReadOptions = {}): ParsedWorkbook {
  const file = grid.file ?? '';
  const fileIndex = opts.fileIndex ?? 0;
  const sink = new IssueSink(file);

  // Thông tin
  let info: InfoRecord = { file, fileIndex, cells: {} };
  const infoSheet = findSheet(grid, INFO.sheet);
  if (!infoSheet) sink.add('error', 'missing-sheet', INFO.sheet, '', '', MSG.missingSheet(INFO.sheet));
  else {
    const kv = readKeyValue(sink, infoSheet, INFO, false);
    info = { ...(kv.values as Partial<InfoRecord>), file, fileIndex, cells: kv.cells };
  }

  // Tiết kiệm điện
  let saving: SavingRecord[] = [];
  const savingSheet = findSheet(grid, SAVING.sheet);
  if (!savingSheet) sink.add('error', 'missing-sheet', SAVING.sheet, '', '', MSG.missingSheet(SAVING.sheet));
  else {
    saving = readTable(sink, savingSheet, fieldColumns(SAVING), specsOf(SAVING), { stopAtBlank: false, fileIndex, blank: blankSaving },
      (v, origin, errorFields) => {
        // The parsed values object becomes the record (no copy: 100,000 rows).
        v.origin = origin;
        v.errorFields = errorFields;
        const rec = v as unknown as SavingRecord;
        if (rec.saved !== undefined && rec.commercial !== undefined && rec.saved > rec.commercial) {
          const header = SAVING.fields.find((f) => f.key === 'saved')?.header as string;
          sink.add('error', 'out-of-range', savingSheet.name, a1(origin.row, origin.cols.saved), header, MSG.savedOverCommercial(header, rec.saved, rec.commercial));
          errorFields.add('saved');
        }
        return rec;
      }).records;
  }

  // Tiêu chí (read before the service sheet: its columns are the criteria)
  const ownCriteria = readCriteria(grid, sink);
  const criteria = opts.criteria ?? ownCriteria;

  // Dịch vụ khách hàng
  let service: ServiceRecord[] = [];
  const serviceSheet = findSheet(grid, SERVICE.sheet);
  if (!serviceSheet) sink.add('error', 'missing-sheet', SERVICE.sheet, '', '', MSG.missingSheet(SERVICE.sheet));
  else {
    const keyField = SERVICE.fields[0];
    const columns = [exactColumn(keyField.key, keyField.header, true),
      ...criteria.criteria.map((c) => prefixColumn(c.code, criterionHeader(c), true))];
    const specs = new Map<string, CellSpec>([[keyField.key, keyField as CellSpec]]);
    for (const c of criteria.criteria) specs.set(c.code, { header: criterionHeader(c), type: 'number', required: true, min: 0 });
    const codes = new Set(criteria.criteria.map((c) => c.code));
    const codeList = [...codes]; // an array: iterating a Set per row allocates
    const valuesShape: Record<string, undefined> = {};
    for (const c of codeList) valuesShape[c] = undefined;
    const rowShape = { [keyField.key]: undefined, ...valuesShape };
    service = readTable(sink, serviceSheet, columns, specs, {
      stopAtBlank: false, fileIndex, blank: () => ({ ...rowShape }),
      ctxFor: (key) => (codes.has(key) ? { missingSeverity: 'warning', missingMessage: MSG.missingCriterion(key) } : {}),
    }, (v, origin, errorFields) => {
      const values: Record<string, number | undefined> = { ...valuesShape }; // every code, one shape
      for (let i = 0; i < codeList.length; i++) { const c = codeList[i]; values[c] = v[c] as number | undefined; }
      return { unitCode: v.unitCode as string | undefined, values, origin, errorFields };
    }).records;
  }

  // Cá nhân
  let individuals: IndividualRecord[] = [];
  const indSheet = findSheet(grid, INDIVIDUAL.sheet);
  if (!indSheet) sink.add('error', 'missing-sheet', INDIVIDUAL.sheet, '', '', MSG.missingSheet(INDIVIDUAL.sheet));
  else {
    individuals = readTable(sink, indSheet, fieldColumns(INDIVIDUAL), specsOf(INDIVIDUAL), { stopAtBlank: false, fileIndex, blank: blankIndividual },
      (v, origin, errorFields) => {
        v.origin = origin;
        v.errorFields = errorFields;
        return v as unknown as IndividualRecord;
      }).records;
  }

  const decisions = readDecisions(grid, sink, fileIndex);

  return { file, fileIndex, info, saving, service, individuals, criteria: ownCriteria, hasServiceSheet: !!serviceSheet, decisions, issues: sink.issues };
}
